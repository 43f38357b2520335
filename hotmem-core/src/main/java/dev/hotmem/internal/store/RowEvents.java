package dev.hotmem.internal.store;

import dev.hotmem.MemoryStatus;
import dev.hotmem.internal.store.SqliteStore.Conn;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the log of row changes ({@code row_events}, schema version 5): one entry per change of a
 * row's status or importance and per erased row, written by triggers in every process, so that a
 * process can bring its in-memory indexes up to date with what others changed.
 *
 * <p>An entry names the row, not the change: a reader takes the row as it is in its own snapshot,
 * so applying entries twice, or out of date, still ends at the snapshot's state.
 */
public final class RowEvents {
  private RowEvents() {}

  /** How many entries the triggers keep; a reader that falls further behind has missed some. */
  public static final int KEPT = Migrations.EVENTS_KEPT;

  /**
   * One entry and the row's state in the reader's snapshot.
   *
   * @param id the entry's position in the log
   * @param seq the row's key
   * @param status the row's status now; null if the row is gone (erased)
   * @param importance the row's importance now (0 when gone)
   */
  public record Event(long id, long seq, MemoryStatus status, double importance) {}

  /**
   * Where a snapshot's rows and log end.
   *
   * @param maxSeq the largest row key, 0 for an empty store
   * @param lastEvent the last entry's id, 0 for an empty log
   */
  public record Heads(long maxSeq, long lastEvent) {}

  /** {@link Heads} of the reader's snapshot, in one statement (two primary-key probes). */
  public static Heads heads(Conn c) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT (SELECT coalesce(max(seq), 0) FROM memories),"
                + " (SELECT coalesce(max(id), 0) FROM row_events)");
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Heads(rs.getLong(1), rs.getLong(2));
    }
  }

  /** The last entry's id, 0 when the log is empty. */
  public static long last(Conn c) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT coalesce(max(id), 0) FROM row_events");
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Whether the entries after {@code cursor} are all still in the log: false when the triggers
   * dropped some of them (the log keeps the last {@link #KEPT}).
   */
  public static boolean complete(Conn c, long cursor) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT min(id) FROM row_events");
    try (ResultSet rs = ps.executeQuery()) {
      long first = rs.next() ? rs.getLong(1) : 0;
      // An empty log (min is NULL, read as 0) drops nothing a reader has not seen: an entry is
      // only removed by a later insert, which keeps the newest ones.
      return first == 0 || first <= cursor + 1;
    }
  }

  /** Up to {@code limit} entries after {@code cursor}, oldest first, with their rows' state. */
  public static List<Event> after(Conn c, long cursor, int limit) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT e.id, e.seq, m.status, m.importance FROM row_events e"
                + " LEFT JOIN memories m ON m.seq = e.seq WHERE e.id > ? ORDER BY e.id LIMIT ?");
    ps.setLong(1, cursor);
    ps.setInt(2, limit);
    List<Event> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String status = rs.getString(3);
        out.add(
            new Event(
                rs.getLong(1),
                rs.getLong(2),
                status == null ? null : MemoryStatus.parse(status),
                rs.getDouble(4)));
      }
    }
    return out;
  }
}
