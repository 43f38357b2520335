package dev.hotmem.internal.facts;

import dev.hotmem.MemoryStatus;
import dev.hotmem.internal.store.SqliteStore.Conn;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The hot tier's pressure levels and what each does, applied inside the caller's write transaction.
 *
 * <p>Implementation notes. Pressure is the hot facts' tokens over the budget. The levels act in
 * order, each only if pressure is still at or above its threshold after the previous one: at 70%
 * older hot facts that share a target and scope with a newer hot fact (plain facts excepted, as
 * they all share the target {@code general}) leave the hot tier, so each key shows its latest word;
 * at 85% the facts of closed scopes are archived; at 95% the caller consolidates through a model
 * when one is configured, and otherwise (or when consolidation was not enough) the oldest hot facts
 * move to the cold tier, constraints last, until pressure is at most {@link #RELIEF_TARGET}.
 * Nothing is deleted or superseded here: every fact stays current and searchable.
 */
final class Pressure {
  static final double MERGE = 0.70;
  static final double ARCHIVE = 0.85;
  static final double CONSOLIDATE = 0.95;

  /** Where pushing the oldest facts out stops, below the archive level so it does not oscillate. */
  static final double RELIEF_TARGET = 0.80;

  /** What one relief pass did. */
  record Relief(double pressure, String level, List<String> actions, boolean wantsModel) {}

  private Pressure() {}

  static String level(double pressure) {
    if (pressure >= CONSOLIDATE) {
      return "consolidate";
    }
    if (pressure >= ARCHIVE) {
      return "archive";
    }
    return pressure >= MERGE ? "merge" : "ok";
  }

  /**
   * Applies the levels.
   *
   * @param modelAvailable whether a consolidation model may be asked (then the 95% level is left to
   *     the caller, who sees {@link Relief#wantsModel()})
   */
  static Relief relieve(
      Conn c,
      BiConsumer<Long, MemoryStatus> changed,
      String namespace,
      int budget,
      boolean modelAvailable,
      long now)
      throws SQLException {
    List<String> actions = new ArrayList<>();
    int hot = FactSql.hotTokens(c, namespace);
    if (hot >= MERGE * budget) {
      int merged = mergeSharedKeys(c, namespace, now);
      if (merged > 0) {
        actions.add(
            "merge: "
                + merged
                + " older hot fact(s) sharing target and scope with a newer one moved to cold");
        hot = FactSql.hotTokens(c, namespace);
      }
    }
    if (hot >= ARCHIVE * budget) {
      int archived = archiveClosedScopes(c, changed, namespace, now);
      if (archived > 0) {
        actions.add("archive: " + archived + " fact(s) of closed scopes archived");
        hot = FactSql.hotTokens(c, namespace);
      }
    }
    boolean wantsModel = false;
    if (hot >= CONSOLIDATE * budget) {
      if (modelAvailable) {
        wantsModel = true;
      } else {
        int pushed = pushOldest(c, namespace, (int) Math.floor(RELIEF_TARGET * budget), now);
        actions.add(
            "consolidate: no model configured; " + pushed + " oldest hot fact(s) moved to cold");
        hot = FactSql.hotTokens(c, namespace);
      }
    }
    if (!actions.isEmpty()) {
      FactSql.recordPressure(c, namespace, Json.array(actions), now);
    }
    double pressure = (double) hot / budget;
    return new Relief(pressure, level(pressure), actions, wantsModel);
  }

  /**
   * Moves the oldest hot facts to cold until the hot tokens are at most {@code target}; constraints
   * go only once nothing else is left to move.
   */
  static int pushOldest(Conn c, String namespace, int target, long now) throws SQLException {
    int hot = FactSql.hotTokens(c, namespace);
    int pushed = 0;
    for (FactRow r : FactSql.hotByEviction(c, namespace)) {
      if (hot <= target) {
        break;
      }
      FactSql.setTier(c, r.id(), "cold", now);
      hot -= r.tokens();
      pushed++;
    }
    return pushed;
  }

  private static int mergeSharedKeys(Conn c, String namespace, long now) throws SQLException {
    // The newest of a group never has a newer sibling, so it stays hot whatever order SQLite
    // visits the rows in, and every older sibling sees it. Both levels start from the hot rows
    // of the tier index (a handful), never from the namespace's memories (thousands).
    PreparedStatement ps =
        c.prepare(
            "UPDATE fact_state SET tier = 'cold', tier_at = ? WHERE namespace = ? AND tier = 'hot'"
                + " AND memory_id IN (SELECT m.id FROM fact_state f CROSS JOIN memories m"
                + " ON m.id = f.memory_id WHERE f.namespace = ? AND f.tier = 'hot'"
                + " AND m.status = 'active' AND m.kind <> 'fact' AND EXISTS (SELECT 1"
                + " FROM fact_state f2 CROSS JOIN memories m2 ON m2.id = f2.memory_id"
                + " WHERE f2.namespace = f.namespace AND f2.tier = 'hot'"
                + " AND m2.status = 'active' AND m2.kind <> 'fact'"
                + " AND m2.identifier = m.identifier AND m2.scope IS m.scope AND m2.seq > m.seq))");
    ps.setLong(1, now);
    ps.setString(2, namespace);
    ps.setString(3, namespace);
    return ps.executeUpdate();
  }

  private static int archiveClosedScopes(
      Conn c, BiConsumer<Long, MemoryStatus> changed, String namespace, long now)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "UPDATE memories SET status = 'archived', updated_at = ?"
                + " WHERE namespace = ? AND status = 'active'"
                + " AND EXISTS (SELECT 1 FROM fact_state fs WHERE fs.memory_id = memories.id"
                + " AND fs.namespace = ?)"
                + " AND scope IN (SELECT scope FROM fact_scopes WHERE namespace = ?"
                + " AND state = 'closed') RETURNING seq, id");
    ps.setLong(1, now);
    ps.setString(2, namespace);
    ps.setString(3, namespace);
    ps.setString(4, namespace);
    List<String> ids = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        changed.accept(rs.getLong(1), MemoryStatus.ARCHIVED);
        ids.add(rs.getString(2));
      }
    }
    for (String id : ids) {
      FactSql.setTier(c, id, "archived", now);
    }
    return ids.size();
  }
}
