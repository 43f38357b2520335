package dev.hotmem;

/** How keyword (bm25) and vector (cosine) candidates are fused into one relevance in [0, 1]. */
public enum FusionMethod {
  /**
   * Reciprocal-rank fusion: {@code (wText / (k + textRank) + wVector / (k + vectorRank)) / ((wText
   * + wVector) / (k + 1))}, a missing rank contributing 0. Robust to the scale of either score.
   */
  RRF,
  /**
   * Normalised weighted sum: {@code (wText * bm25 / maxBm25 + wVector * max(0, cosine)) / (wText +
   * wVector)}, where {@code maxBm25} is the best bm25 among the query's candidates.
   */
  WEIGHTED,
  /**
   * Weighted sum with the cosine rescaled over the query's vector candidates: {@code (wText * bm25
   * / maxBm25 + wVector * clamp((cosine - floor) / (top - floor), 0, 1)) / (wText + wVector)},
   * where {@code top} and {@code floor} are the best and the last cosine among the vector search's
   * candidates. A sentence-embedding model puts nearly every pair of texts between cosine 0.4 and
   * 0.9, so a raw cosine adds an almost constant offset; rescaled, it separates candidates as much
   * as bm25 does. The default with a model embedder (LoCoMo: docs/BENCHMARKS.md). Always runs the
   * vector search, whose candidates give the scale.
   */
  NORMALIZED
}
