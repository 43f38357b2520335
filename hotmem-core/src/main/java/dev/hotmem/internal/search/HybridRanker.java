package dev.hotmem.internal.search;

import dev.hotmem.FusionMethod;
import dev.hotmem.Ranking;
import dev.hotmem.ScoreBreakdown;

/**
 * Turns the two retrievers' raw signals into one final score per candidate, with its breakdown.
 *
 * <p>Implementation notes. Relevance is fused first, into [0, 1]: reciprocal-rank fusion normalises
 * by the best possible value (rank 1 in both lists), the weighted sum divides bm25 by the best bm25
 * among the query's candidates (bm25 has no fixed scale) and clamps cosine at 0 (a negative cosine
 * is "unrelated", not "anti-relevant"). The adjustments then scale that relevance by a factor in [1
 * - w, 1] (w the sum of their weights), so the final score stays in [0, 1] and importance cannot
 * carry a weak match above a strong one (added instead, they let an important but barely related
 * memory outrank the one a misspelled query named: see RecallTest). Stateless and thread-safe.
 */
public final class HybridRanker {
  /** Recall count at which the access signal reaches one half. */
  static final double ACCESS_HALF = 10.0;

  private static final double LN2 = Math.log(2);

  private final Ranking ranking;

  public HybridRanker(Ranking ranking) {
    this.ranking = ranking;
  }

  /** One candidate's raw signals. */
  public record Signals(
      double bm25,
      int textRank,
      double cosine,
      int vectorRank,
      double importance,
      long ageMillis,
      long accessCount) {}

  /**
   * What one query's signals are measured against.
   *
   * @param maxBm25 the best bm25 among the query's keyword candidates
   * @param cosineTop the best cosine among its vector candidates ({@link FusionMethod#NORMALIZED})
   * @param cosineFloor the last (lowest) cosine among its vector candidates
   */
  public record Scale(double maxBm25, double cosineTop, double cosineFloor) {
    /** A scale without vector candidates: cosines are taken as they are. */
    public static Scale of(double maxBm25) {
      return new Scale(maxBm25, 1, 0);
    }
  }

  /** Scores one candidate. */
  public ScoreBreakdown score(Signals s, Scale scale) {
    double fused = fuse(s.bm25(), s.textRank(), s.cosine(), s.vectorRank(), scale);
    double recency = Math.exp(-LN2 * Math.max(0, s.ageMillis()) / halfLifeMillis());
    double access = s.accessCount() / (s.accessCount() + ACCESS_HALF);
    return new ScoreBreakdown(
        s.bm25(), s.textRank(), s.cosine(), s.vectorRank(), fused, s.importance(), recency, access);
  }

  /**
   * The final score of a breakdown: relevance scaled by the adjustments, in [0, 1]. Multiplying
   * (rather than adding) means importance, recency and access can reorder memories of similar
   * relevance but never lift an irrelevant memory above a relevant one: a relevance of 0 scores 0.
   */
  public double finalScore(ScoreBreakdown b) {
    double adjustment =
        ranking.relevanceWeight()
            + ranking.importanceWeight() * b.importance()
            + ranking.recencyWeight() * b.recency()
            + ranking.accessWeight() * b.access();
    return Math.min(1.0, Math.max(0.0, b.fused() * adjustment));
  }

  /**
   * The fused relevance in [0, 1] of one candidate's retrieval signals. Final scores lie in [fused
   * * {@link dev.hotmem.Ranking#relevanceWeight()}, fused], which lets recall discard, before
   * reading them, candidates whose fused relevance is too low to ever reach the top k.
   */
  public double fuse(double bm25, int textRank, double cosine, int vectorRank, Scale scale) {
    double wt = ranking.textWeight();
    double wv = ranking.vectorWeight();
    if (ranking.fusion() == FusionMethod.RRF) {
      int k = ranking.rrfK();
      double sum = 0;
      if (textRank > 0) {
        sum += wt / (k + textRank);
      }
      if (vectorRank > 0) {
        sum += wv / (k + vectorRank);
      }
      return sum / ((wt + wv) / (k + 1));
    }
    double maxBm25 = scale.maxBm25();
    double text = maxBm25 > 0 ? Math.max(0, bm25) / maxBm25 : 0;
    double vector =
        ranking.fusion() == FusionMethod.NORMALIZED ? rescaled(cosine, scale) : Math.max(0, cosine);
    return Math.min(1.0, (wt * text + wv * vector) / (wt + wv));
  }

  /**
   * A cosine rescaled to [0, 1] between the floor and the top of the vector candidates; with no
   * spread (one candidate, or all equal) a cosine at the top counts 1 and any below it 0.
   */
  static double rescaled(double cosine, Scale scale) {
    double spread = scale.cosineTop() - scale.cosineFloor();
    if (!(spread > 1e-6)) {
      return cosine >= scale.cosineTop() - 1e-6 ? 1 : 0;
    }
    return Math.max(0, Math.min(1, (cosine - scale.cosineFloor()) / spread));
  }

  /**
   * The factor {@link #finalScore} multiplies the fused relevance by, without its access term: a
   * memory of this importance and age scores between {@code fused * a} and {@code fused * (a +
   * accessWeight)} whatever its access count (both clamped to [0, 1]).
   */
  public double adjustmentBeforeAccess(double importance, long ageMillis) {
    double recency = Math.exp(-LN2 * Math.max(0, ageMillis) / halfLifeMillis());
    return ranking.relevanceWeight()
        + ranking.importanceWeight() * importance
        + ranking.recencyWeight() * recency;
  }

  private double halfLifeMillis() {
    return Math.max(1, ranking.recencyHalfLife().toMillis());
  }
}
