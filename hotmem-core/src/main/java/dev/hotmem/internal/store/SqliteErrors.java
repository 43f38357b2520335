package dev.hotmem.internal.store;

import dev.hotmem.HotMemException;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;

/** Maps SQLite failures to the engine's error codes, naming the store and the operation. */
public final class SqliteErrors {
  /**
   * The message of the trigger a reindex installs: an insert of a vector whose model is not the
   * store's embedder (a process that opened the store before it was reindexed).
   */
  public static final String EMBEDDER_GUARD =
      "hotmem: a vector of another model than the embedder the store records";

  private SqliteErrors() {}

  public static HotMemException map(SQLException e, String operation, Object store) {
    int primary = e.getErrorCode() & 0xFF;
    String where = operation + " on " + store;
    if (primary == SQLiteErrorCode.SQLITE_BUSY.code
        || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
      return new HotMemException.Busy(
          where + ": the store stayed locked by another writer past the busy timeout; retry", e);
    }
    if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code
        || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
      return new HotMemException.CorruptStore(
          where + ": the file is damaged or not a SQLite database (" + e.getMessage() + ")", e);
    }
    if (primary == SQLiteErrorCode.SQLITE_CONSTRAINT.code
        && e.getMessage() != null
        && e.getMessage().contains(EMBEDDER_GUARD)) {
      return new HotMemException.IncompatibleStore(
          where
              + ": the store was reindexed to another embedder since it was opened here;"
              + " reopen it (with the embedder it records now) to write to it");
    }
    if (primary == SQLiteErrorCode.SQLITE_FULL.code) {
      return new HotMemException.StorageFailed(where + ": the disk is full", e);
    }
    if (primary == SQLiteErrorCode.SQLITE_READONLY.code
        || primary == SQLiteErrorCode.SQLITE_CANTOPEN.code
        || primary == SQLiteErrorCode.SQLITE_PERM.code) {
      return new HotMemException.StorageFailed(
          where + ": cannot write the file (" + e.getMessage() + ")", e);
    }
    return new HotMemException.StorageFailed(where + " failed: " + e.getMessage(), e);
  }
}
