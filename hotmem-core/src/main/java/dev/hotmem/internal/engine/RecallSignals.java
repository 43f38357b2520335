package dev.hotmem.internal.engine;

import dev.hotmem.FusionMethod;
import dev.hotmem.Ranking;
import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.internal.search.HybridRanker;
import dev.hotmem.internal.search.KeywordIndex;
import dev.hotmem.internal.store.RecallQueries.Candidate;
import dev.hotmem.internal.store.RecallQueries.KeywordHits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the retrievers said about each candidate, before SQLite re-checks it: ranks, bm25, cosine,
 * and the fused relevance that bounds its final score.
 */
final class RecallSignals {
  final KeywordHits kw;
  final List<VectorHit> vec;
  final Map<Long, int[]> ranks;
  final Map<Long, Double> bm25 = new HashMap<>();
  final Map<Long, Float> vectorCosine = new HashMap<>();
  final float[] queryVector;
  final boolean useVector;
  final HybridRanker.Scale scale;

  private final Ranking ranking;
  private final HybridRanker ranker;
  private final VectorIndex index;

  /** Candidates by fused relevance, best first. */
  final List<Map.Entry<Long, Double>> byFused = new ArrayList<>();

  RecallSignals(
      Ranking ranking,
      HybridRanker ranker,
      VectorIndex index,
      KeywordHits kw,
      List<VectorHit> vec,
      float[] queryVector,
      boolean useVector,
      int k) {
    this.ranking = ranking;
    this.ranker = ranker;
    this.index = index;
    this.kw = kw;
    this.vec = vec;
    this.ranks = new HashMap<>(); // seq -> {textRank, vectorRank}
    for (int i = 0; i < kw.size(); i++) {
      ranks.computeIfAbsent(kw.seqs()[i], key -> new int[2])[0] = i + 1;
    }
    for (int i = 0; i < vec.size(); i++) {
      ranks.computeIfAbsent(vec.get(i).key(), key -> new int[2])[1] = i + 1;
    }
    this.queryVector = queryVector;
    this.useVector = useVector;
    double max = 0;
    for (int i = 0; i < kw.size(); i++) {
      bm25.put(kw.seqs()[i], kw.bm25()[i]);
      max = Math.max(max, kw.bm25()[i]);
    }
    for (VectorHit h : vec) {
      vectorCosine.put(h.key(), h.cosine());
    }
    this.scale =
        vec.isEmpty()
            ? HybridRanker.Scale.of(max)
            : new HybridRanker.Scale(max, vec.get(0).cosine(), vec.get(vec.size() - 1).cosine());
    // Fused relevance needs the cosine of the keyword candidates the scan did not return, and
    // the index computes one with a cache miss per dimension. Bound instead: with cosine in
    // [-1, 1] a candidate's fused relevance lies in [lo, hi], so one whose hi is below the
    // relevance weight times the k-th best lo can never be a contender, and its cosine is not
    // needed. Reciprocal-rank fusion does not use cosines at all. The cosines that are needed
    // come from the index in one batch.
    int n = ranks.size();
    long[] seqs = new long[n];
    double[] lo = new double[n];
    double[] hi = new double[n];
    boolean boundable = useVector && ranking.fusion() != FusionMethod.RRF;
    int i = 0;
    for (Map.Entry<Long, int[]> e : ranks.entrySet()) {
      long seq = e.getKey();
      int[] r = e.getValue();
      double b = bm25.getOrDefault(seq, 0.0);
      Float known = vectorCosine.get(seq);
      seqs[i] = seq;
      if (!boundable || known != null) {
        lo[i] = ranker.fuse(b, r[0], known == null ? 0 : known, r[1], scale);
        hi[i] = lo[i];
      } else {
        lo[i] = ranker.fuse(b, r[0], -1, r[1], scale);
        hi[i] = ranker.fuse(b, r[0], 1, r[1], scale);
      }
      i++;
    }
    if (boundable) {
      double bar = -1;
      if (n > k) {
        double[] sorted = lo.clone();
        Arrays.sort(sorted);
        bar = sorted[n - k] * ranking.relevanceWeight();
      }
      long[] needed = new long[n];
      int m = 0;
      for (int j = 0; j < n; j++) {
        if (lo[j] != hi[j] && hi[j] >= bar) {
          needed[m++] = seqs[j];
        }
      }
      fetchCosines(Arrays.copyOf(needed, m));
      for (int j = 0; j < n; j++) {
        if (lo[j] != hi[j] && hi[j] >= bar) {
          int[] r = ranks.get(seqs[j]);
          lo[j] =
              ranker.fuse(
                  bm25.getOrDefault(seqs[j], 0.0), r[0], vectorCosine.get(seqs[j]), r[1], scale);
          hi[j] = lo[j];
        }
      }
    }
    // Exact values for every candidate that can reach the top k, and for the rest their upper
    // bound, which sorts them below the contenders' bar either way.
    for (int j = 0; j < n; j++) {
      byFused.add(Map.entry(seqs[j], hi[j]));
    }
    byFused.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
  }

  /** Makes sure {@link #cosine} of every row is known, asking the index once for the missing. */
  void cosinesFor(List<Candidate> rows) {
    if (!useVector) {
      return;
    }
    long[] missing = new long[rows.size()];
    int m = 0;
    for (Candidate row : rows) {
      if (!vectorCosine.containsKey(row.seq())) {
        missing[m++] = row.seq();
      }
    }
    fetchCosines(Arrays.copyOf(missing, m));
  }

  private void fetchCosines(long[] keys) {
    if (keys.length == 0) {
      return;
    }
    float[] sims = new float[keys.length];
    index.similarities(queryVector, keys, sims);
    for (int j = 0; j < keys.length; j++) {
      // Absent: removed from the index since it was proposed; SQLite's re-check drops it.
      vectorCosine.put(keys[j], Float.isNaN(sims[j]) ? 0f : sims[j]);
    }
  }

  double cosine(long seq) {
    if (!useVector) {
      return 0;
    }
    Float hit = vectorCosine.get(seq);
    if (hit != null) {
      return hit;
    }
    float sim = index.similarity(queryVector, seq);
    return Float.isNaN(sim) ? 0 : sim;
  }

  /**
   * The rows whose lower bounds set the bar of {@link #contenders}, with the importance the bound
   * assumed (NaN: none); null once every candidate is to be read.
   */
  Map<Long, Double> leaders;

  /**
   * The candidates that can still reach the top {@code k}: a final score lies in [fused * r, fused]
   * (r the relevance weight), so one whose fused relevance is below r times the k-th best cannot
   * rank above any of the k best. With {@code hints} (the keyword index's importance and creation
   * time of each row), the bounds narrow to [fused * a, fused * (a + access weight)], a the
   * adjustment without its access term: a few rows are read instead of most of them (at 100,000
   * memories, 76 on average: reading them was over a quarter of a search's CPU).
   */
  List<Long> contenders(int k, KeywordIndex hints, long now) {
    List<Long> out = new ArrayList<>(Math.min(byFused.size(), 4 * k));
    double bar =
        byFused.size() > k ? byFused.get(k - 1).getValue() * ranking.relevanceWeight() : -1;
    for (Map.Entry<Long, Double> e : byFused) {
      if (e.getValue() < bar) {
        break;
      }
      out.add(e.getKey());
    }
    leaders = new HashMap<>();
    if (hints == null || out.size() <= k) {
      for (int i = 0; i < Math.min(k, byFused.size()); i++) {
        leaders.put(byFused.get(i).getKey(), Double.NaN);
      }
      return out;
    }
    int n = out.size();
    long[] seqs = new long[n];
    for (int i = 0; i < n; i++) {
      seqs[i] = out.get(i);
    }
    double[] importance = new double[n];
    long[] createdAt = new long[n];
    hints.hints(seqs, importance, createdAt);
    double[] lo = new double[n];
    double[] hi = new double[n];
    for (int i = 0; i < n; i++) {
      double fused = byFused.get(i).getValue(); // out is byFused's first n, in order
      if (Double.isNaN(importance[i])) {
        lo[i] = fused * ranking.relevanceWeight();
        hi[i] = fused;
      } else {
        double a = ranker.adjustmentBeforeAccess(importance[i], now - createdAt[i]);
        lo[i] = clamp(fused * a);
        hi[i] = clamp(fused * (a + ranking.accessWeight()));
      }
    }
    Integer[] byLo = new Integer[n];
    for (int i = 0; i < n; i++) {
      byLo[i] = i;
    }
    Arrays.sort(byLo, (a, b) -> Double.compare(lo[b], lo[a]));
    // Rounding may differ from finalScore's in the last bits: keep a margin.
    double bar2 = lo[byLo[k - 1]] * (1 - 1e-9);
    List<Long> narrowed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (hi[i] >= bar2) {
        narrowed.add(seqs[i]);
      }
    }
    for (int i = 0; i < k; i++) {
      leaders.put(seqs[byLo[i]], importance[byLo[i]]);
    }
    return narrowed;
  }

  private static double clamp(double score) {
    return Math.min(1.0, Math.max(0.0, score));
  }

  /**
   * Whether the bar {@link #contenders} set holds: SQLite returned every row that set it, each with
   * the importance the bound assumed (a concurrent recall on a newer snapshot may have brought the
   * shared index past this one's).
   */
  boolean leadersPresent(List<Candidate> rows, int k) {
    if (leaders == null) {
      return true;
    }
    Map<Long, Double> returned = new HashMap<>();
    rows.forEach(r -> returned.put(r.seq(), r.importance()));
    for (Map.Entry<Long, Double> leader : leaders.entrySet()) {
      Double importance = returned.get(leader.getKey());
      if (importance == null
          || (!leader.getValue().isNaN() && importance.doubleValue() != leader.getValue())) {
        return false;
      }
    }
    return true;
  }
}
