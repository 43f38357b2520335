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
  WEIGHTED
}
