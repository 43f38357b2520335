package dev.hotmem;

import dev.hotmem.HotMemException.InvalidRequest;
import java.time.Duration;
import java.util.Objects;

/**
 * The weights of hybrid ranking (see {@link ScoreBreakdown} for the formula). Built and validated
 * by {@link HotMemConfig.Builder}; the defaults are documented in docs/ARCHITECTURE.md with the
 * measurement that chose them.
 *
 * @param fusion how keyword and vector candidates are fused
 * @param textWeight weight of keyword relevance in the fusion, at least 0
 * @param vectorWeight weight of vector relevance in the fusion, at least 0 (not both 0)
 * @param rrfK the constant k of reciprocal-rank fusion, at least 1
 * @param candidateDepth how many keyword candidates FTS5 contributes, at least {@link
 *     Limits#MAX_TOP_K}
 * @param vectorDepth how many vector candidates the index contributes (never fewer than the query's
 *     {@code top_k}), 1..10000
 * @param importanceWeight weight of importance in the final score
 * @param recencyWeight weight of recency in the final score
 * @param accessWeight weight of access frequency in the final score
 * @param recencyHalfLife age at which recency is 0.5
 * @param keywordBudget most rows FTS5 may score for one query: the rarest query terms are searched
 *     while their summed document frequency fits, the commonest dropped (at least 100)
 */
public record Ranking(
    FusionMethod fusion,
    double textWeight,
    double vectorWeight,
    int rrfK,
    int candidateDepth,
    int vectorDepth,
    double importanceWeight,
    double recencyWeight,
    double accessWeight,
    Duration recencyHalfLife,
    int keywordBudget) {

  public Ranking {
    Objects.requireNonNull(fusion, "fusion");
    Objects.requireNonNull(recencyHalfLife, "recencyHalfLife");
    requireWeight("textWeight", textWeight);
    requireWeight("vectorWeight", vectorWeight);
    if (textWeight + vectorWeight <= 0) {
      throw new InvalidRequest("ranking", "textWeight and vectorWeight must not both be 0");
    }
    if (rrfK < 1) {
      throw new InvalidRequest("rrfK", "must be at least 1; found " + rrfK);
    }
    if (candidateDepth < Limits.MAX_TOP_K || candidateDepth > 10_000) {
      throw new InvalidRequest(
          "candidateDepth",
          "must be between " + Limits.MAX_TOP_K + " and 10000; found " + candidateDepth);
    }
    if (vectorDepth < 1 || vectorDepth > 10_000) {
      throw new InvalidRequest("vectorDepth", "must be between 1 and 10000; found " + vectorDepth);
    }
    requireWeight("importanceWeight", importanceWeight);
    requireWeight("recencyWeight", recencyWeight);
    requireWeight("accessWeight", accessWeight);
    double adjustments = importanceWeight + recencyWeight + accessWeight;
    if (adjustments >= 1.0) {
      throw new InvalidRequest(
          "ranking",
          "importanceWeight + recencyWeight + accessWeight must be below 1 so relevance keeps a"
              + " share; found "
              + adjustments);
    }
    if (keywordBudget < 100) {
      throw new InvalidRequest("keywordBudget", "must be at least 100; found " + keywordBudget);
    }
    if (recencyHalfLife.isNegative() || recencyHalfLife.isZero()) {
      throw new InvalidRequest("recencyHalfLife", "must be positive; found " + recencyHalfLife);
    }
  }

  private static void requireWeight(String field, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new InvalidRequest(field, "must be between 0 and 1; found " + value);
    }
  }

  /** The share of the final score that relevance (the fused score) keeps. */
  public double relevanceWeight() {
    return 1.0 - importanceWeight - recencyWeight - accessWeight;
  }
}
