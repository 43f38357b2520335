package dev.hotmem.internal.store;

import dev.hotmem.HotMemException;
import dev.hotmem.HotMemException.IncompatibleStore;
import dev.hotmem.Synchronous;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;

/**
 * One SQLite file: a single writer connection behind a lock and a small pool of read-only reader
 * connections. In WAL mode readers never wait for the writer and see the last committed state.
 *
 * <p>Every write runs in {@code BEGIN IMMEDIATE} so a transaction never has to upgrade its lock
 * (the classic SQLITE_BUSY deadlock between two deferred writers); {@code busy_timeout} makes a
 * writer of another process wait for the lock instead of failing at once. Thread-safe.
 */
public final class SqliteStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

  /**
   * Work against one connection; may throw {@link SQLException}, which is mapped for the caller.
   */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Conn conn) throws SQLException;
  }

  /** Told the change counter before and after each committed write transaction. */
  @FunctionalInterface
  public interface ChangeWatcher {
    void committed(long before, long after);
  }

  private final Path path;
  private final String url;
  private volatile ChangeWatcher changeWatcher;
  private final Synchronous synchronous;
  private final Duration busyTimeout;
  private final Conn writer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final BlockingQueue<Conn> idleReaders;
  private final int maxReaders;
  // One permit per reader connection, handed out first come, first served. Taking connections
  // from the queue directly let a newly arrived read barge past one that had waited (a woken waiter
  // that found the queue empty again queued anew): under 8 saturating HTTP clients some searches
  // waited 100-700 ms for a connection while the median took 2 ms.
  private final Semaphore readerPermits;
  private volatile boolean closed;

  private SqliteStore(Path path, Synchronous synchronous, Duration busyTimeout, int maxReaders) {
    this.path = path;
    this.url = "jdbc:sqlite:" + path;
    this.synchronous = synchronous;
    this.busyTimeout = busyTimeout;
    this.maxReaders = maxReaders;
    this.idleReaders = new ArrayBlockingQueue<>(maxReaders);
    this.readerPermits = new Semaphore(maxReaders, true);
    this.writer = connect(false);
  }

  /**
   * Opens (creating if needed) the store at {@code path} and brings its schema up to date.
   *
   * @throws IncompatibleStore if the file belongs to another application or a newer HotMem
   * @throws HotMemException.CorruptStore if the file is not a SQLite database
   */
  public static SqliteStore open(
      Path path, Synchronous synchronous, Duration busyTimeout, int maxReaders) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new HotMemException.StorageFailed(
          "cannot create the directory of " + path + ": " + e.getMessage(), e);
    }
    SqliteStore store = new SqliteStore(path, synchronous, busyTimeout, maxReaders);
    try {
      store.migrate();
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /**
   * Runs {@code work} on a read-only connection to the existing store at {@code path}, without
   * creating, migrating or writing anything: for looking at a store before opening it.
   *
   * @return what {@code work} returns, or null when there is no file at {@code path} or it is an
   *     empty SQLite file
   * @throws IncompatibleStore if the file belongs to another application or a newer HotMem
   * @throws HotMemException.CorruptStore if the file is not a SQLite database
   */
  public static <T> T peek(Path path, Duration busyTimeout, String operation, SqlWork<T> work) {
    if (!Files.isRegularFile(path)) {
      return null;
    }
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
    try (Connection c = config.createConnection("jdbc:sqlite:" + path)) {
      Conn conn = new Conn(c);
      try {
        Header header = readHeader(conn);
        int appId = header.appId();
        int version = header.version();
        if (appId != Migrations.APPLICATION_ID) {
          if (appId == 0 && version == 0 && !header.hasTables()) {
            return null;
          }
          throw new IncompatibleStore(
              path
                  + " is not a HotMem store: expected application_id 0x"
                  + Integer.toHexString(Migrations.APPLICATION_ID)
                  + ", found 0x"
                  + Integer.toHexString(appId));
        }
        if (version > Migrations.LATEST) {
          throw new IncompatibleStore(tooNew(path, version));
        }
        return work.run(conn);
      } finally {
        conn.closeStatements();
      }
    } catch (SQLException e) {
      throw SqliteErrors.map(e, operation, path);
    }
  }

  private static boolean hasTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
      return rs.next() && rs.getInt(1) > 0;
    }
  }

  /**
   * Sets who is told the change counter around each committed write transaction (one watcher; null
   * for none). Costs two primary-key reads per transaction.
   */
  public void watchChanges(ChangeWatcher watcher) {
    this.changeWatcher = watcher;
  }

  private Conn connect(boolean readOnly) {
    try {
      Connection c = DriverManager.getConnection(url);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
        if (!readOnly) {
          String mode = enableWal(s);
          if (!"wal".equalsIgnoreCase(mode)) {
            LOG.warn("{}: journal_mode is {} (WAL unavailable on this file system)", path, mode);
          }
          // Purged content is overwritten with zeros instead of lingering in free pages.
          s.execute("PRAGMA secure_delete = ON");
          s.execute("PRAGMA cache_size = -65536");
        }
        s.execute("PRAGMA synchronous = " + synchronous.name());
        s.execute("PRAGMA foreign_keys = ON");
        if (readOnly) {
          s.execute("PRAGMA query_only = ON");
        }
      }
      return new Conn(c);
    } catch (SQLException e) {
      throw SqliteErrors.map(e, "open", path);
    }
  }

  /**
   * {@code PRAGMA journal_mode = WAL}, retried for up to the busy timeout while another connection
   * holds the new file's lock: switching a new file to WAL needs it exclusively, and SQLite then
   * answers SQLITE_BUSY at once instead of calling its busy handler (seen with several processes
   * creating one store at once, as two MCP clients on first use do).
   *
   * @return the journal mode the file is in now
   */
  private String enableWal(Statement s) throws SQLException {
    long deadline = System.nanoTime() + busyTimeout.toNanos();
    long pauseMillis = 1;
    while (true) {
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
        return rs.next() ? rs.getString(1) : "?";
      } catch (SQLException e) {
        int primary = e.getErrorCode() & 0xFF;
        if (primary != SQLiteErrorCode.SQLITE_BUSY.code || System.nanoTime() - deadline > 0) {
          throw e;
        }
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HotMemException.Busy("open on " + path + ": interrupted while it was locked", e);
      }
      pauseMillis = Math.min(pauseMillis * 2, 50);
    }
  }

  /** A store file's ownership and schema, read in one snapshot. */
  private record Header(int appId, int version, boolean hasTables) {}

  /**
   * Reads the header fields and whether there are tables in one read transaction: another process
   * creating the same file commits its first tables and the application id together, and reads
   * taken one by one could see the tables of that commit but the id from before it (a new file then
   * looked like another application's database).
   */
  private static Header readHeader(Conn conn) throws SQLException {
    try (Statement s = conn.connection.createStatement()) {
      s.execute("BEGIN");
      try {
        Header h =
            new Header(
                conn.intPragma("application_id"),
                conn.intPragma("user_version"),
                hasTables(conn.connection));
        s.execute("COMMIT");
        return h;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(s, e);
        throw e;
      }
    }
  }

  private void migrate() {
    try {
      Header header = readHeader(writer);
      int appId = header.appId();
      int version = header.version();
      if (appId != 0 && appId != Migrations.APPLICATION_ID) {
        throw new IncompatibleStore(
            path
                + " is not a HotMem store: expected application_id 0x"
                + Integer.toHexString(Migrations.APPLICATION_ID)
                + ", found 0x"
                + Integer.toHexString(appId));
      }
      if (appId == 0 && header.hasTables()) {
        throw new IncompatibleStore(
            path + " is a SQLite database of another application (no HotMem application_id)");
      }
      if (version > Migrations.LATEST) {
        throw new IncompatibleStore(tooNew(version));
      }
      for (Migrations.Migration m : Migrations.ALL) {
        if (m.version() > version) {
          applyMigration(m);
        }
      }
    } catch (SQLException e) {
      throw SqliteErrors.map(e, "open", path);
    }
  }

  private String tooNew(int version) {
    return tooNew(path, version);
  }

  private static String tooNew(Path path, int version) {
    return path
        + " has schema version "
        + version
        + ", newer than this HotMem supports ("
        + Migrations.LATEST
        + "); open it with a newer HotMem";
  }

  private void applyMigration(Migrations.Migration m) throws SQLException {
    writeLock.lock();
    try (Statement s = writer.connection.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        // Another process may have migrated while we waited for the lock.
        int current = writer.intPragma("user_version");
        if (current > Migrations.LATEST) {
          throw new IncompatibleStore(tooNew(current));
        }
        if (current < m.version()) {
          for (String sql : m.statements()) {
            s.execute(sql);
          }
          s.execute("PRAGMA application_id = " + Migrations.APPLICATION_ID);
          s.execute("PRAGMA user_version = " + m.version());
          LOG.info("{}: migrated schema to version {} ({})", path, m.version(), m.description());
        }
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(s, e);
        throw e;
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Runs {@code work} in one write transaction ({@code BEGIN IMMEDIATE} … {@code COMMIT}), rolling
   * back if it throws. Writers of this process are serialised; writers of other processes wait up
   * to the busy timeout.
   */
  public <T> T write(String operation, SqlWork<T> work) {
    ensureOpen();
    acquireWriteLock(operation);
    try (Statement s = writer.connection.createStatement()) {
      ensureOpen();
      s.execute("BEGIN IMMEDIATE");
      T result;
      ChangeWatcher watcher = changeWatcher;
      long before = 0;
      long after = 0;
      try {
        before = watcher == null ? 0 : MemoryRepository.changeCounter(writer);
        result = work.run(writer);
        after = watcher == null ? 0 : MemoryRepository.changeCounter(writer);
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(s, e);
        throw e;
      }
      if (watcher != null) {
        watcher.committed(before, after);
      }
      return result;
    } catch (SQLException e) {
      throw SqliteErrors.map(e, operation, path);
    } finally {
      writeLock.unlock();
    }
  }

  /** Runs {@code work} on the writer connection outside a transaction (VACUUM, checkpoints). */
  public <T> T writeNoTransaction(String operation, SqlWork<T> work) {
    ensureOpen();
    acquireWriteLock(operation);
    try {
      ensureOpen();
      return work.run(writer);
    } catch (SQLException e) {
      throw SqliteErrors.map(e, operation, path);
    } finally {
      writeLock.unlock();
    }
  }

  private void acquireWriteLock(String operation) {
    try {
      if (!writeLock.tryLock(busyTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new HotMemException.Busy(
            operation
                + " on "
                + path
                + ": another write of this process held the store for over "
                + busyTimeout.toMillis()
                + " ms; retry",
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HotMemException.Busy(operation + " on " + path + ": interrupted", e);
    }
  }

  private static void rollbackQuietly(Statement s, Exception cause) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  /** Runs {@code work} on a reader connection; never waits for writers. */
  public <T> T read(String operation, SqlWork<T> work) {
    Conn conn = borrowReader(operation);
    try {
      return work.run(conn);
    } catch (SQLException e) {
      throw SqliteErrors.map(e, operation, path);
    } finally {
      returnReader(conn);
    }
  }

  private Conn borrowReader(String operation) {
    ensureOpen();
    boolean permitted;
    try {
      // With a fair semaphore, even a zero wait queues behind earlier waiters (no barging).
      permitted = readerPermits.tryAcquire(busyTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HotMemException.Busy(operation + " on " + path + ": interrupted", e);
    }
    if (!permitted) {
      throw new HotMemException.Busy(
          operation
              + " on "
              + path
              + ": all "
              + maxReaders
              + " reader connections stayed busy for "
              + busyTimeout.toMillis()
              + " ms; retry",
          null);
    }
    // A permit means an idle connection or room for a new one.
    Conn conn = idleReaders.poll();
    if (conn != null) {
      return conn;
    }
    try {
      return connect(true);
    } catch (RuntimeException e) {
      readerPermits.release();
      throw e;
    }
  }

  private void returnReader(Conn conn) {
    if (closed || !idleReaders.offer(conn)) {
      conn.close();
    }
    readerPermits.release();
  }

  private void ensureOpen() {
    if (closed) {
      throw new HotMemException.Conflict("the store " + path + " is closed");
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** Closes every connection. In-flight reads finish; later calls fail with {@code conflict}. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writeLock.lock();
    try {
      for (Conn c; (c = idleReaders.poll()) != null; ) {
        c.close();
      }
      writer.close();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }

  /** A connection with a cache of prepared statements. Used by one thread at a time. */
  public static final class Conn {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Conn(Connection connection) {
      this.connection = connection;
    }

    /** A cached prepared statement for {@code sql}; parameters are cleared. */
    public PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement ps = statements.get(sql);
      if (ps == null) {
        ps = connection.prepareStatement(sql);
        statements.put(sql, ps);
      } else {
        ps.clearParameters();
      }
      return ps;
    }

    /** Runs one statement that returns no rows. */
    public void exec(String sql) throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute(sql);
      }
    }

    /** True if the database has a table of this name. */
    public boolean hasTable(String name) throws SQLException {
      PreparedStatement ps =
          prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }

    public int intPragma(String name) throws SQLException {
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("PRAGMA " + name.toLowerCase(Locale.ROOT))) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }

    /**
     * Closes the cached statements. SQLite refuses VACUUM while any statement of the connection is
     * still prepared mid-step, which a cached {@code RETURNING} statement can be.
     */
    public void closeStatements() {
      for (PreparedStatement ps : statements.values()) {
        try {
          ps.close();
        } catch (SQLException ignored) {
          // closing: nothing useful to do
        }
      }
      statements.clear();
    }

    void close() {
      closeStatements();
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing: nothing useful to do
      }
    }
  }
}
