package dev.hotmem;

/**
 * Why a recalled memory ranked where it did. The final score is
 *
 * <pre>
 *   score = fused * ((1 - wImportance - wRecency - wAccess)
 *                    + wImportance * importance + wRecency * recency + wAccess * access)
 * </pre>
 *
 * with the weights of the store's {@link Ranking}: relevance ({@code fused}) decides, and
 * importance, recency and access scale it by at most their summed weight.
 *
 * @param bm25 keyword relevance: SQLite FTS5 bm25, negated so higher is better; 0 when no query
 *     term matched
 * @param textRank 1-based rank among keyword candidates, 0 if not a keyword candidate
 * @param cosine cosine similarity of query and memory embeddings, in [-1, 1]
 * @param vectorRank 1-based rank among vector candidates, 0 if not a vector candidate or if the
 *     vector scan was skipped because the keyword candidates decided the top k (the cosine is still
 *     the memory's own)
 * @param fused the fused relevance of the two, in [0, 1] (see {@link FusionMethod})
 * @param importance the memory's importance, in [0, 1]
 * @param recency {@code 2^(-age / halfLife)}, in (0, 1]
 * @param access {@code n / (n + 10)} for a memory recalled {@code n} times before, in [0, 1)
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
