package dev.hotmem;

import java.time.Instant;

/**
 * One recalled memory as an LLM-ready message object, in HotMem's wire shape ({@code {"role":
 * "system", "content", "memory_id", "identifier", "score", ...}}) so it can be put straight into a
 * chat-completions message list.
 *
 * @param role always {@code system}
 * @param content the memory's text (a prefix of it, ending in "…", when {@code truncated})
 * @param memoryId the memory's id
 * @param identifier the subject the memory is about
 * @param score final relevance in [0, 1], higher is better; comparable between results of the same
 *     query, not across queries
 * @param namespace the memory's namespace
 * @param kind the memory's kind
 * @param category the memory's category, or null
 * @param scope the memory's scope, or null
 * @param createdAt when the memory was stored
 * @param truncated true only when not even the best memory fit the budget whole and a prefix of it
 *     was returned instead
 * @param breakdown how {@code score} was computed
 */
public record MemoryMessage(
    String role,
    String content,
    String memoryId,
    String identifier,
    double score,
    String namespace,
    String kind,
    String category,
    String scope,
    Instant createdAt,
    boolean truncated,
    ScoreBreakdown breakdown) {

  public static final String SYSTEM_ROLE = "system";
}
