package dev.hotmem.internal.store;

import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryStatus;
import dev.hotmem.internal.search.KeywordIndex;
import dev.hotmem.internal.store.SqliteStore.Conn;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The queries of recall's candidate stages: keyword candidates from FTS5, the key set for filters
 * the vector index does not know, and the re-check of every candidate against the source of truth.
 * Every value is bound; the only SQL built at run time is the filter clause ({@link FilterSql}).
 */
public final class RecallQueries {
  private RecallQueries() {}

  /**
   * What recall needs of a candidate to score it. Its text comes later, for the few that make the
   * answer ({@link #shown}): reading every candidate's strings through JDBC was about a quarter of
   * a search's CPU once keyword search left SQLite.
   */
  public record Candidate(long seq, double importance, long createdAtMillis, long accessCount) {}

  /** What an answer shows of a memory, besides its score. */
  public record Shown(
      String id,
      String namespace,
      String identifier,
      String content,
      String kind,
      String category,
      String scope) {}

  /**
   * The candidates among {@code seqs} that pass {@code filter} (the source of truth re-checks what
   * the indexes proposed), in no particular order.
   */
  public static List<Candidate> findCandidates(
      Conn c, Collection<Long> seqs, MemoryFilter filter, long now) throws SQLException {
    if (seqs.isEmpty()) {
      return List.of();
    }
    List<Object> params = new ArrayList<>();
    params.add(jsonArray(seqs));
    String where = FilterSql.where(filter, now, params);
    PreparedStatement ps =
        c.prepare(
            "SELECT m.seq, m.importance, m.created_at, m.access_count"
                // CROSS JOIN pins the loop order: one rowid lookup per candidate. Unpinned, the
                // planner scanned the whole namespace index (0.23 ms vs 0.013 ms at 2,760 rows).
                + " FROM json_each(?) AS j CROSS JOIN memories m ON m.seq = j.value WHERE "
                + where);
    FilterSql.bind(ps, params);
    List<Candidate> out = new ArrayList<>(seqs.size());
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Candidate(rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4)));
      }
    }
    return out;
  }

  /**
   * What the answer shows of the rows {@code seqs}, by key; call in the read transaction that found
   * them as candidates.
   */
  public static Map<Long, Shown> shown(Conn c, Collection<Long> seqs) throws SQLException {
    Map<Long, Shown> out = new HashMap<>(seqs.size() * 2);
    if (seqs.isEmpty()) {
      return out;
    }
    PreparedStatement ps =
        c.prepare(
            "SELECT m.seq, m.id, m.namespace, m.identifier, m.content, m.kind, m.category, m.scope"
                + " FROM json_each(?) AS j CROSS JOIN memories m ON m.seq = j.value");
    ps.setString(1, jsonArray(seqs));
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(
            rs.getLong(1),
            new Shown(
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8)));
      }
    }
    return out;
  }

  /** The keys as a JSON array, for {@code json_each(?)}: one bound value however many keys. */
  private static String jsonArray(Collection<Long> seqs) {
    StringBuilder ids = new StringBuilder(seqs.size() * 8).append('[');
    for (Long seq : seqs) {
      if (ids.length() > 1) {
        ids.append(',');
      }
      ids.append(seq.longValue());
    }
    return ids.append(']').toString();
  }

  /** Keyword candidates, best first: row keys and their bm25 (negated: higher is better). */
  public record KeywordHits(long[] seqs, double[] bm25) {
    public int size() {
      return seqs.length;
    }
  }

  /**
   * Keyword candidates: the best {@code limit} rows matching the FTS5 expression (built by {@code
   * FtsQuery}, never raw user text) that pass {@code filter}, or with {@code newestFirst} the
   * newest {@code limit} matching rows, then sorted by bm25.
   */
  public static KeywordHits ftsCandidates(
      Conn c, String matchExpression, boolean newestFirst, MemoryFilter filter, long now, int limit)
      throws SQLException {
    List<Object> params = new ArrayList<>();
    params.add(matchExpression);
    String where = FilterSql.where(filter, now, params);
    params.add(limit);
    PreparedStatement ps =
        c.prepare(
            "SELECT memories_fts.rowid, -memories_fts.rank FROM memories_fts"
                + " JOIN memories m ON m.seq = memories_fts.rowid"
                + " WHERE memories_fts MATCH ? AND "
                + where
                + (newestFirst
                    ? " ORDER BY memories_fts.rowid DESC LIMIT ?"
                    : " ORDER BY memories_fts.rank LIMIT ?"));
    FilterSql.bind(ps, params);
    long[] seqs = new long[limit];
    double[] bm25 = new double[limit];
    int n = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next() && n < limit) {
        seqs[n] = rs.getLong(1);
        bm25[n] = rs.getDouble(2);
        n++;
      }
    }
    if (newestFirst) {
      sortByScore(seqs, bm25, n);
    }
    return new KeywordHits(Arrays.copyOf(seqs, n), Arrays.copyOf(bm25, n));
  }

  /**
   * Sorts the first {@code n} pairs by score, best first (insertion sort: n is at most a few
   * hundred).
   */
  private static void sortByScore(long[] seqs, double[] scores, int n) {
    for (int i = 1; i < n; i++) {
      long s = seqs[i];
      double v = scores[i];
      int j = i - 1;
      while (j >= 0 && scores[j] < v) {
        seqs[j + 1] = seqs[j];
        scores[j + 1] = scores[j];
        j--;
      }
      seqs[j + 1] = s;
      scores[j + 1] = v;
    }
  }

  /** Whether the filter constrains attributes the vector index does not hold. */
  public static boolean hasExtraFilters(MemoryFilter filter) {
    return FilterSql.hasExtraConstraints(filter);
  }

  /**
   * The sorted row keys passing the filter, for the attributes the vector index does not know
   * (category, kind, scope, creation time). Call only when {@link #hasExtraFilters} is true.
   */
  public static long[] keysForExtraFilters(Conn c, MemoryFilter filter, long now)
      throws SQLException {
    List<Object> params = new ArrayList<>();
    String where = FilterSql.where(filter, now, params);
    PreparedStatement ps =
        c.prepare("SELECT m.seq FROM memories m WHERE " + where + " ORDER BY m.seq");
    FilterSql.bind(ps, params);
    long[] keys = new long[64];
    int n = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (n == keys.length) {
          keys = Arrays.copyOf(keys, n * 2);
        }
        keys[n++] = rs.getLong(1);
      }
    }
    return Arrays.copyOf(keys, n);
  }

  /**
   * The searchable text and filter attributes of the rows with {@code after < seq <= upTo}, at most
   * {@code limit} of them, keys ascending: what {@link KeywordIndex} holds of a row.
   */
  public static List<KeywordIndex.Doc> searchTexts(Conn c, long after, long upTo, int limit)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT seq, namespace, identifier, status, expires_at, importance, created_at,"
                + " content, context FROM memories WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?");
    ps.setLong(1, after);
    ps.setLong(2, upTo);
    ps.setInt(3, limit);
    List<KeywordIndex.Doc> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long expires = rs.getLong(5);
        if (rs.wasNull()) {
          expires = Long.MAX_VALUE;
        }
        out.add(
            new KeywordIndex.Doc(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                MemoryStatus.parse(rs.getString(4)),
                expires,
                rs.getDouble(6),
                rs.getLong(7),
                rs.getString(8),
                rs.getString(9)));
      }
    }
    return out;
  }
}
