package dev.hotmem.client;

/**
 * Why a recalled memory ranked where it did (see the server's docs/ARCHITECTURE.md for how the
 * parts combine into {@code score}).
 *
 * @param bm25 keyword relevance (negated FTS5 bm25, higher is better; 0 when no term matched)
 * @param textRank 1-based rank among keyword candidates, 0 if not one
 * @param cosine cosine similarity of query and memory embeddings, in [-1, 1]
 * @param vectorRank 1-based rank among vector candidates, 0 if not one
 * @param fused the fused relevance of the two, in [0, 1]
 * @param importance the memory's importance, in [0, 1]
 * @param recency recency factor, in (0, 1]
 * @param access access factor, in [0, 1)
 */
public record ScoreBreakdown(
    double bm25,
    int textRank,
    double cosine,
    int vectorRank,
    double fused,
    double importance,
    double recency,
    double access) {}
