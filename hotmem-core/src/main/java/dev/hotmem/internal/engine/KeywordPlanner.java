package dev.hotmem.internal.engine;

import dev.hotmem.internal.search.FtsQuery;
import dev.hotmem.internal.store.SqliteStore.Conn;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Chooses which of a query's terms the FTS5 stage searches, so that keyword retrieval stays fast on
 * large stores.
 *
 * <p>Implementation notes. FTS5 computes bm25 for every row that matches any term and scans each
 * term's whole posting list for its document frequency, about 1.5 µs per matching row on the
 * reference machine. At 100,000 LoCoMo-like memories an OR of a question's words matched 13,900
 * rows on average and the FTS query alone took 15 ms p50; RecallBenchmark's p50 fell from 20.3 to
 * 4.9 ms with this planner (docs/BENCHMARKS.md). Words that common carry little bm25 weight (their
 * IDF, about log(N/df), is small), so, like Lucene's cutoff frequency, the planner keeps the rarest
 * terms while their summed document frequency fits the budget, and always the rarest one. When the
 * whole query fits (every query on a small store) the expression is the plain OR of all terms and
 * ranking is exact bm25.
 *
 * <p>Document frequencies are counted with a bounded scan ({@value #COUNT_CAP} rows at most: no
 * scoring, ~0.3 µs a row) and cached per term; the cache is dropped when the store has grown or
 * shrunk by a quarter since it was filled, because then frequencies have moved. Thread-safe.
 */
final class KeywordPlanner {
  /**
   * Counting stops here. A query whose rarest term is at least this frequent has no selective word:
   * its keyword candidates are the newest matching rows (bm25 computed for those only, 0.8 ms)
   * instead of the best-scored ones (12.7 ms for a term in 13% of 100,000 rows).
   */
  static final int COUNT_CAP = 2_000;

  /** What to search: the terms (ORed), and whether to take the newest matches. */
  record Plan(List<String> terms, boolean newestFirst) {
    /** The FTS5 MATCH expression of the terms. */
    String match() {
      return FtsQuery.or(terms);
    }
  }

  private static final int MAX_CACHED_TERMS = 100_000;

  private final int budget;
  private final Map<String, Integer> frequencies = new ConcurrentHashMap<>();
  private volatile long cachedAtSize = -1;

  KeywordPlanner(int budget) {
    this.budget = budget;
  }

  /**
   * The plan for these terms (from {@link FtsQuery#terms}), or null when there are none, with
   * document frequencies counted by FTS5 (and cached). {@code storeSize} is the number of indexed
   * memories, for cache invalidation.
   */
  Plan plan(Conn c, List<String> terms, long storeSize) throws SQLException {
    if (terms.isEmpty()) {
      return null;
    }
    if (storeSize <= budget) {
      return new Plan(terms, false); // no term can exceed the budget: skip counting
    }
    refreshCache(storeSize);
    int[] df = new int[terms.size()];
    for (int i = 0; i < df.length; i++) {
      df[i] = frequency(c, terms.get(i));
    }
    return choose(terms, df);
  }

  /**
   * The plan for these terms with exact document frequencies (from the in-memory keyword index):
   * the same choice as from FTS5's counts, except that terms at or above {@link #COUNT_CAP} are
   * told apart, so that the rarest of them is the one searched.
   */
  Plan plan(List<String> terms, long storeSize, ToIntFunction<String> frequency) {
    if (terms.isEmpty()) {
      return null;
    }
    if (storeSize <= budget) {
      return new Plan(terms, false);
    }
    int[] df = new int[terms.size()];
    for (int i = 0; i < df.length; i++) {
      df[i] = frequency.applyAsInt(terms.get(i));
    }
    return choose(terms, df);
  }

  /** Keeps the rarest terms while their summed frequency fits the budget, and always the rarest. */
  private Plan choose(List<String> terms, int[] df) {
    int n = terms.size();
    Integer[] byRarity = new Integer[n];
    for (int i = 0; i < n; i++) {
      byRarity[i] = i;
    }
    Arrays.sort(byRarity, Comparator.comparingInt(i -> df[i]));
    boolean[] keep = new boolean[n];
    int kept = 0;
    long sum = 0;
    for (int i : byRarity) {
      if (kept > 0 && sum + df[i] > budget) {
        break;
      }
      keep[i] = true;
      kept++;
      sum += df[i];
    }
    boolean unselective = df[byRarity[0]] >= COUNT_CAP;
    if (kept == n) {
      return new Plan(terms, unselective);
    }
    List<String> inQueryOrder = new ArrayList<>(kept);
    for (int i = 0; i < n; i++) {
      if (keep[i]) {
        inQueryOrder.add(terms.get(i));
      }
    }
    return new Plan(inQueryOrder, unselective);
  }

  private void refreshCache(long storeSize) {
    long at = cachedAtSize;
    if (at < 0
        || storeSize > at * 5 / 4
        || storeSize < at * 3 / 4
        || frequencies.size() > MAX_CACHED_TERMS) {
      frequencies.clear();
      cachedAtSize = storeSize;
    }
  }

  private int frequency(Conn c, String term) throws SQLException {
    Integer cached = frequencies.get(term);
    if (cached != null) {
      return cached;
    }
    PreparedStatement ps =
        c.prepare(
            "SELECT count(*) FROM (SELECT 1 FROM memories_fts WHERE memories_fts MATCH ? LIMIT ?)");
    ps.setString(1, FtsQuery.or(List.of(term)));
    ps.setInt(2, COUNT_CAP);
    int n;
    try (ResultSet rs = ps.executeQuery()) {
      n = rs.next() ? rs.getInt(1) : 0;
    }
    frequencies.put(term, n);
    return n;
  }
}
