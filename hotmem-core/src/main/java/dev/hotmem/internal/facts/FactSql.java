package dev.hotmem.internal.facts;

import dev.hotmem.MemoryStatus;
import dev.hotmem.internal.store.MemoryRepository;
import dev.hotmem.internal.store.SqliteStore.Conn;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Every SQL statement of the fact layer, in one place. Every value is bound; the only SQL built at
 * run time joins fixed fragments. Methods take the caller's connection (and transaction).
 */
final class FactSql {
  private static final String FROM =
      " FROM memories m JOIN fact_state f ON f.memory_id = m.id WHERE m.namespace = ?"
          + " AND m.status <> 'forgotten'";

  /**
   * The hot facts of a namespace, read from the tier index outward. The hot tier is a handful of
   * rows while a namespace may hold thousands of facts; joined the other way round SQLite scanned
   * every memory of the namespace to find them, on every write under pressure (6 ms a write at
   * 3,000 facts).
   */
  private static final String HOT_FROM =
      " FROM fact_state f CROSS JOIN memories m ON m.id = f.memory_id"
          + " WHERE f.namespace = ? AND f.tier = 'hot' AND m.status = 'active'";

  /** Statuses of a current fact. */
  static final String CURRENT = "m.status IN ('active', 'archived')";

  private FactSql() {}

  // ---------------------------------------------------------------- reads

  /** Facts of {@code namespace} passing {@code where} (a fixed fragment over m and f). */
  static List<FactRow> select(Conn c, String namespace, String where, String order, Object... args)
      throws SQLException {
    return selectFrom(c, FROM, namespace, where, order, args);
  }

  private static List<FactRow> selectFrom(
      Conn c, String from, String namespace, String where, String order, Object... args)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT "
                + FactRow.COLUMNS
                + from
                + (where.isEmpty() ? "" : " AND " + where)
                + " ORDER BY "
                + order);
    ps.setString(1, namespace);
    bind(ps, 2, args);
    List<FactRow> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row(rs));
      }
    }
    return out;
  }

  static FactRow byId(Conn c, String namespace, String id) throws SQLException {
    List<FactRow> rows = select(c, namespace, "m.id = ?", "m.seq", id);
    return rows.isEmpty() ? null : rows.get(0);
  }

  static List<FactRow> hot(Conn c, String namespace) throws SQLException {
    return selectFrom(c, HOT_FROM, namespace, "", "m.seq");
  }

  /**
   * Hot facts in the order pressure pushes them out: constraints last (they are the project's
   * standing law, the facts an agent most needs at every session start), each group oldest first.
   */
  static List<FactRow> hotByEviction(Conn c, String namespace) throws SQLException {
    return selectFrom(c, HOT_FROM, namespace, "", "(m.kind = 'constraint'), m.seq");
  }

  static int hotTokens(Conn c, String namespace) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT coalesce(sum(f.tokens), 0)" + HOT_FROM);
    ps.setString(1, namespace);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** Current facts per tier: hot, cold, archived. */
  static int[] tierCounts(Conn c, String namespace) throws SQLException {
    // From the facts outward, as HOT_FROM: joined from memories, SQLite walked every memory of the
    // namespace (7.9 against 5.3 ms at 10,000 facts, every one a memory of the namespace).
    PreparedStatement ps =
        c.prepare(
            "SELECT f.tier, count(*) FROM fact_state f CROSS JOIN memories m ON m.id = f.memory_id"
                + " WHERE f.namespace = ? AND "
                + CURRENT
                + " GROUP BY f.tier");
    ps.setString(1, namespace);
    int[] out = new int[3];
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        switch (rs.getString(1)) {
          case "hot" -> out[0] = rs.getInt(2);
          case "cold" -> out[1] = rs.getInt(2);
          default -> out[2] = rs.getInt(2);
        }
      }
    }
    return out;
  }

  /**
   * Which of {@code ids} are facts of {@code namespace} (any status but forgotten), by id, in one
   * statement: the ids travel as one JSON array, so the statement is prepared once for any number.
   * Twenty single-row queries cost a memory_search about half a millisecond.
   */
  static Map<String, FactRow> byIds(Conn c, String namespace, List<String> ids)
      throws SQLException {
    Map<String, FactRow> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    PreparedStatement ps =
        c.prepare(
            "SELECT "
                + FactRow.COLUMNS
                // CROSS JOIN pins the loop order: one id lookup per key, never a namespace scan.
                + " FROM json_each(?) AS j CROSS JOIN memories m ON m.id = j.value"
                + " JOIN fact_state f ON f.memory_id = m.id"
                + " WHERE m.namespace = ? AND m.status <> 'forgotten'");
    ps.setString(1, Json.array(ids));
    ps.setString(2, namespace);
    Map<String, FactRow> found = new HashMap<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        FactRow r = row(rs);
        found.put(r.id(), r);
      }
    }
    for (String id : ids) {
      FactRow r = found.get(id);
      if (r != null) {
        out.put(id, r);
      }
    }
    return out;
  }

  static FactRow row(ResultSet rs) throws SQLException {
    long supersededAt = rs.getLong(12);
    Long at = rs.wasNull() ? null : supersededAt;
    return new FactRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        MemoryStatus.parse(rs.getString(7)),
        rs.getString(8),
        rs.getLong(9),
        rs.getString(10),
        rs.getInt(11),
        at);
  }

  // ---------------------------------------------------------------- fact state

  /** Records (or re-records) a memory as a fact in {@code tier}. */
  static void putState(Conn c, String id, String namespace, String tier, int tokens, long now)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "INSERT INTO fact_state (memory_id, namespace, tier, tokens, tier_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (memory_id) DO UPDATE SET"
                + " tier = excluded.tier, tokens = excluded.tokens, tier_at = excluded.tier_at");
    ps.setString(1, id);
    ps.setString(2, namespace);
    ps.setString(3, tier);
    ps.setInt(4, tokens);
    ps.setLong(5, now);
    ps.executeUpdate();
  }

  static void setTier(Conn c, String id, String tier, long now) throws SQLException {
    PreparedStatement ps =
        c.prepare("UPDATE fact_state SET tier = ?, tier_at = ? WHERE memory_id = ?");
    ps.setString(1, tier);
    ps.setLong(2, now);
    ps.setString(3, id);
    ps.executeUpdate();
  }

  /** Moves a fact to another scope; returns whether it moved. */
  static boolean moveScope(Conn c, String id, String scope, long now) throws SQLException {
    PreparedStatement ps =
        c.prepare("UPDATE memories SET scope = ?, updated_at = ? WHERE id = ? AND scope IS NOT ?");
    ps.setString(1, scope);
    ps.setLong(2, now);
    ps.setString(3, id);
    ps.setString(4, scope);
    return ps.executeUpdate() == 1;
  }

  /**
   * Marks current facts superseded by {@code byId}: those of {@code namespace} and {@code target}
   * whose kind is one of {@code kinds}, in {@code scope} (any scope when null), other than {@code
   * byId}, and written before row {@code beforeSeq} (any when null). Their tier becomes cold.
   *
   * @return the ids superseded, oldest first
   */
  static List<String> supersede(
      Conn c,
      BiConsumer<Long, MemoryStatus> changed,
      String namespace,
      String target,
      List<String> kinds,
      String scope,
      Long beforeSeq,
      String byId,
      long now)
      throws SQLException {
    String kindList = String.join(", ", kinds.stream().map(k -> "?").toList());
    PreparedStatement ps =
        c.prepare(
            "UPDATE memories SET status = 'superseded', superseded_by = ?, updated_at = ?"
                + " WHERE namespace = ? AND identifier = ? AND kind IN ("
                + kindList
                + ") AND status IN ('active', 'archived') AND id <> ?"
                + " AND (? IS NULL OR scope = ?) AND (? IS NULL OR seq < ?)"
                + " AND EXISTS (SELECT 1 FROM fact_state fs WHERE fs.memory_id = memories.id"
                + " AND fs.namespace = ?)"
                + " RETURNING seq, id");
    int p = 1;
    ps.setString(p++, byId);
    ps.setLong(p++, now);
    ps.setString(p++, namespace);
    ps.setString(p++, target);
    for (String k : kinds) {
      ps.setString(p++, k);
    }
    ps.setString(p++, byId);
    MemoryRepository.setNullableString(ps, p++, scope);
    MemoryRepository.setNullableString(ps, p++, scope);
    MemoryRepository.setNullableLong(ps, p++, beforeSeq);
    MemoryRepository.setNullableLong(ps, p++, beforeSeq);
    ps.setString(p, namespace);
    List<long[]> seqs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        seqs.add(new long[] {rs.getLong(1)});
        ids.add(rs.getString(2));
      }
    }
    PreparedStatement state =
        c.prepare(
            "UPDATE fact_state SET tier = 'cold', tier_at = ?, superseded_at = ? WHERE memory_id = ?");
    for (int i = 0; i < ids.size(); i++) {
      changed.accept(seqs.get(i)[0], MemoryStatus.SUPERSEDED);
      state.setLong(1, now);
      state.setLong(2, now);
      state.setString(3, ids.get(i));
      state.executeUpdate();
    }
    ids.sort(null);
    return ids;
  }

  // ---------------------------------------------------------------- scopes

  /** Opens the scope (or reopens a closed one) and counts a write to it. */
  static void touchScope(Conn c, String namespace, String scope, long now) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "INSERT INTO fact_scopes (namespace, scope, state, opened_at, last_write_at,"
                + " writes_since_tick) VALUES (?, ?, 'open', ?, ?, 1)"
                + " ON CONFLICT (namespace, scope) DO UPDATE SET"
                + " opened_at = CASE WHEN state = 'closed' THEN excluded.opened_at"
                + " ELSE opened_at END,"
                + " state = 'open', closed_at = NULL, closed_reason = NULL,"
                + " idle_ticks = 0, foreign_ticks = 0,"
                + " writes_since_tick = writes_since_tick + 1, last_write_at = excluded.last_write_at");
    ps.setString(1, namespace);
    ps.setString(2, scope);
    ps.setLong(3, now);
    ps.setLong(4, now);
    ps.executeUpdate();
  }

  /**
   * Closes an open scope and moves its hot facts to the cold tier; returns false if it was not
   * open.
   */
  static boolean closeScope(Conn c, String namespace, String scope, String reason, long now)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "UPDATE fact_scopes SET state = 'closed', closed_at = ?, closed_reason = ?"
                + " WHERE namespace = ? AND scope = ? AND state = 'open'");
    ps.setLong(1, now);
    ps.setString(2, reason);
    ps.setString(3, namespace);
    ps.setString(4, scope);
    if (ps.executeUpdate() == 0) {
      return false;
    }
    PreparedStatement cool =
        c.prepare(
            "UPDATE fact_state SET tier = 'cold', tier_at = ? WHERE tier = 'hot'"
                + " AND memory_id IN (SELECT id FROM memories WHERE namespace = ? AND scope = ?)");
    cool.setLong(1, now);
    cool.setString(2, namespace);
    cool.setString(3, scope);
    cool.executeUpdate();
    return true;
  }

  /** One open scope's tick counters. */
  record OpenScope(String scope, int idleTicks, int foreignTicks, int writes, long lastWriteAt) {}

  /** The open scopes, most recently written first. */
  static List<OpenScope> openScopes(Conn c, String namespace) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT scope, idle_ticks, foreign_ticks, writes_since_tick, last_write_at"
                + " FROM fact_scopes WHERE namespace = ? AND state = 'open'"
                + " ORDER BY last_write_at DESC, scope");
    ps.setString(1, namespace);
    List<OpenScope> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new OpenScope(
                rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getLong(5)));
      }
    }
    return out;
  }

  static void setTickCounters(Conn c, String namespace, String scope, int idle, int foreign)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "UPDATE fact_scopes SET idle_ticks = ?, foreign_ticks = ?, writes_since_tick = 0"
                + " WHERE namespace = ? AND scope = ?");
    ps.setInt(1, idle);
    ps.setInt(2, foreign);
    ps.setString(3, namespace);
    ps.setString(4, scope);
    ps.executeUpdate();
  }

  static void clearWrites(Conn c, String namespace) throws SQLException {
    PreparedStatement ps =
        c.prepare("UPDATE fact_scopes SET writes_since_tick = 0 WHERE namespace = ?");
    ps.setString(1, namespace);
    ps.executeUpdate();
  }

  // ---------------------------------------------------------------- ticks and pressure records

  static String tickResult(Conn c, String namespace, long turn) throws SQLException {
    PreparedStatement ps =
        c.prepare("SELECT result FROM fact_ticks WHERE namespace = ? AND turn = ?");
    ps.setString(1, namespace);
    ps.setLong(2, turn);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  static long lastTurn(Conn c, String namespace) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT max(turn) FROM fact_ticks WHERE namespace = ?");
    ps.setString(1, namespace);
    try (ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        long v = rs.getLong(1);
        return rs.wasNull() ? Long.MIN_VALUE : v;
      }
      return Long.MIN_VALUE;
    }
  }

  static void recordTick(Conn c, String namespace, long turn, long now, String json)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "INSERT INTO fact_ticks (namespace, turn, ticked_at, result) VALUES (?, ?, ?, ?)");
    ps.setString(1, namespace);
    ps.setLong(2, turn);
    ps.setLong(3, now);
    ps.setString(4, json);
    ps.executeUpdate();
  }

  static void recordPressure(Conn c, String namespace, String json, long now) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "INSERT INTO fact_pressure (namespace, actions, applied_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (namespace) DO UPDATE SET actions = excluded.actions,"
                + " applied_at = excluded.applied_at");
    ps.setString(1, namespace);
    ps.setString(2, json);
    ps.setLong(3, now);
    ps.executeUpdate();
  }

  static String lastPressure(Conn c, String namespace) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT actions FROM fact_pressure WHERE namespace = ?");
    ps.setString(1, namespace);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  // ---------------------------------------------------------------- helpers

  static void bind(PreparedStatement ps, int first, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        ps.setNull(first + i, Types.NULL);
      } else if (a instanceof Long l) {
        ps.setLong(first + i, l);
      } else if (a instanceof Integer n) {
        ps.setInt(first + i, n);
      } else {
        ps.setString(first + i, a.toString());
      }
    }
  }
}
