package dev.hotmem.internal.facts;

import dev.hotmem.HotMemException.InvalidRequest;
import dev.hotmem.Limits;
import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryMessage;
import dev.hotmem.MemoryStatus;
import dev.hotmem.RecallQuery;
import dev.hotmem.facts.Fact;
import dev.hotmem.facts.FactHistory;
import dev.hotmem.facts.ParsedFact;
import dev.hotmem.facts.PurgeResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The fact layer's reads (search, history, as-of, export) and purge. Thread-safe, stateless. */
public final class FactQueries {
  /** The most facts one search returns. */
  public static final int MAX_SEARCH = 20;

  /** The most entries one reflect returns. */
  public static final int MAX_REFLECT = 200;

  private final Facts facts;

  public FactQueries(Facts facts) {
    this.facts = facts;
  }

  /** Current facts (hot, cold and archived) for {@code query}, best first. */
  public List<Fact> search(String query, String scopeName, int limit) {
    if (limit < 1 || limit > MAX_SEARCH) {
      throw new InvalidRequest("limit", "must be between 1 and " + MAX_SEARCH + "; found " + limit);
    }
    String scope = Facts.scope(scopeName);
    MemoryFilter filter =
        MemoryFilter.builder()
            .namespace(facts.namespace)
            .scope(scope)
            .statuses(EnumSet.of(MemoryStatus.ACTIVE, MemoryStatus.ARCHIVED))
            .build();
    // Ordinary memories of the namespace compete in recall; ask for more and keep the facts.
    RecallQuery q =
        RecallQuery.builder(query)
            .topK(Math.min(Limits.MAX_TOP_K, limit * 4))
            .filter(filter)
            .build();
    List<MemoryMessage> hits = facts.mem.recall(q).memories();
    // Recall read an earlier snapshot: a write that committed since may have replaced a fact (or a
    // purge erased it). Only what is still current is returned as current. The rows are read in
    // rank order, no more than are still wanted: usually one statement for the first `limit` hits.
    return facts.engine.read(
        "memory_search",
        c -> {
          List<Fact> out = new ArrayList<>();
          int from = 0;
          while (out.size() < limit && from < hits.size()) {
            List<MemoryMessage> batch =
                hits.subList(from, Math.min(hits.size(), from + limit - out.size()));
            from += batch.size();
            Map<String, FactRow> rows =
                FactSql.byIds(
                    c, facts.namespace, batch.stream().map(MemoryMessage::memoryId).toList());
            for (MemoryMessage m : batch) {
              FactRow r = rows.get(m.memoryId());
              if (r != null
                  && (r.status() == MemoryStatus.ACTIVE || r.status() == MemoryStatus.ARCHIVED)) {
                out.add(r.fact(m.score()));
              }
            }
          }
          return out;
        });
  }

  /**
   * The history of {@code topic}, oldest first: the facts of the target it names, or else of the
   * scope it names, or else of the targets a search for it finds (in every status).
   */
  public List<FactHistory> reflect(String topic, int limit) {
    if (topic == null || topic.isBlank()) {
      throw new InvalidRequest("topic", "must not be empty");
    }
    if (limit < 1 || limit > MAX_REFLECT) {
      throw new InvalidRequest(
          "limit", "must be between 1 and " + MAX_REFLECT + "; found " + limit);
    }
    String key = topic.strip().toLowerCase(Locale.ROOT);
    List<FactRow> rows =
        facts.engine.read(
            "memory_reflect",
            c -> {
              List<FactRow> found =
                  FactSql.select(c, facts.namespace, "m.identifier = ?", "m.seq", key);
              if (found.isEmpty()) {
                found = FactSql.select(c, facts.namespace, "m.scope = ?", "m.seq", key);
              }
              return found;
            });
    if (rows.isEmpty()) {
      rows = searchedTargets(topic);
    }
    Map<String, String> replacedBy = new HashMap<>();
    for (FactRow r : rows) {
      if (r.supersededBy() != null) {
        replacedBy.put(r.supersededBy(), r.id());
      }
    }
    List<FactRow> newest =
        rows.size() > limit ? rows.subList(rows.size() - limit, rows.size()) : rows;
    List<FactHistory> out = new ArrayList<>();
    for (FactRow r : newest) {
      out.add(
          new FactHistory(
              r.fact(),
              Optional.ofNullable(r.supersededBy()),
              Optional.ofNullable(replacedBy.get(r.id()))));
    }
    return out;
  }

  private List<FactRow> searchedTargets(String topic) {
    MemoryFilter filter =
        MemoryFilter.builder()
            .namespace(facts.namespace)
            .statuses(
                EnumSet.of(MemoryStatus.ACTIVE, MemoryStatus.ARCHIVED, MemoryStatus.SUPERSEDED))
            .build();
    String text =
        topic.length() > Limits.MAX_QUERY_CHARS
            ? topic.substring(0, Limits.MAX_QUERY_CHARS)
            : topic;
    List<String> ids =
        facts
            .mem
            .recall(RecallQuery.builder(text).topK(10).filter(filter).build())
            .memories()
            .stream()
            .map(MemoryMessage::memoryId)
            .toList();
    return facts.engine.read(
        "memory_reflect",
        c -> {
          Set<String> targets = new LinkedHashSet<>();
          for (FactRow r : FactSql.byIds(c, facts.namespace, ids).values()) {
            targets.add(r.identifier());
          }
          targets.remove(ParsedFact.PLAIN_TARGET);
          List<FactRow> out = new ArrayList<>();
          for (String t : targets) {
            out.addAll(FactSql.select(c, facts.namespace, "m.identifier = ?", "m.seq", t));
          }
          out.sort((a, b) -> Long.compare(a.seq(), b.seq()));
          return out;
        });
  }

  /**
   * The fact that was current for {@code target} (in {@code scope}, or any scope when null) at
   * {@code when}: the newest written by then and not yet replaced or made obsolete by then.
   */
  public Optional<Fact> asOf(String target, String scopeName, Instant when) {
    if (target == null || target.isBlank()) {
      throw new InvalidRequest("target", "must not be empty");
    }
    if (when == null) {
      throw new InvalidRequest("when", "must be given");
    }
    String key = target.strip().toLowerCase(Locale.ROOT);
    String scope = Facts.scope(scopeName);
    long at = when.toEpochMilli();
    List<FactRow> rows =
        facts.engine.read(
            "as_of",
            c ->
                FactSql.select(
                    c,
                    facts.namespace,
                    "m.identifier = ? AND (? IS NULL OR m.scope = ?) AND m.created_at <= ?"
                        + " AND m.kind NOT IN ('done', 'obsolete')"
                        + " AND (m.status <> 'superseded' OR coalesce(f.superseded_at, m.updated_at) > ?)",
                    "m.seq DESC",
                    key,
                    scope,
                    scope,
                    at,
                    at));
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).fact());
  }

  /**
   * The facts as plain notation, one per line, oldest first.
   *
   * @param status {@code current} (default: active and archived), {@code active}, {@code hot},
   *     {@code cold}, {@code archived}, {@code superseded} or {@code all}
   */
  public String export(String scopeName, String status) {
    String scope = Facts.scope(scopeName);
    String which =
        status == null || status.isBlank() ? "current" : status.strip().toLowerCase(Locale.ROOT);
    String where =
        switch (which) {
          case "current" -> FactSql.CURRENT;
          case "active" -> "m.status = 'active'";
          case "hot" -> "m.status = 'active' AND f.tier = 'hot'";
          case "cold" -> "m.status = 'active' AND f.tier = 'cold'";
          case "archived" -> "m.status = 'archived'";
          case "superseded" -> "m.status = 'superseded'";
          case "all" -> "1 = 1";
          default ->
              throw new InvalidRequest(
                  "status",
                  "expected one of current, active, hot, cold, archived, superseded, all; found "
                      + status);
        };
    List<FactRow> rows =
        facts.engine.read(
            "memory_export",
            c ->
                FactSql.select(
                    c,
                    facts.namespace,
                    where + " AND (? IS NULL OR m.scope = ?)",
                    "m.seq",
                    scope,
                    scope));
    StringBuilder b = new StringBuilder();
    for (FactRow r : rows) {
      b.append(StatusBlock.lineOf(r.content()));
    }
    return b.toString();
  }

  /**
   * Erases for good the facts no longer needed for current work: superseded ones, archived ones and
   * those of closed scopes, in {@code scope} if given, written more than {@code olderThanDays} days
   * ago if given. Current facts of open scopes are never erased.
   */
  public PurgeResult purge(String scopeName, Integer olderThanDays) {
    if (olderThanDays != null && (olderThanDays < 0 || olderThanDays > 36_500)) {
      throw new InvalidRequest(
          "older_than_days", "must be between 0 and 36500; found " + olderThanDays);
    }
    String scope = Facts.scope(scopeName);
    Long before = olderThanDays == null ? null : facts.clock.millis() - olderThanDays * 86_400_000L;
    List<String> ids =
        facts.engine.read(
            "memory_purge",
            c ->
                FactSql.select(
                        c,
                        facts.namespace,
                        "(m.status IN ('superseded', 'archived') OR m.scope IN (SELECT scope FROM"
                            + " fact_scopes WHERE namespace = m.namespace AND state = 'closed'))"
                            + " AND (? IS NULL OR m.scope = ?) AND (? IS NULL OR m.created_at < ?)",
                        "m.seq",
                        scope,
                        scope,
                        before,
                        before)
                    .stream()
                    .map(FactRow::id)
                    .toList());
    int purged = 0;
    for (String id : ids) {
      try {
        facts.mem.purge(id);
        purged++;
      } catch (dev.hotmem.HotMemException.NotFound e) {
        // Erased meanwhile by another caller: the goal is reached either way.
      }
    }
    return new PurgeResult(purged);
  }
}
