package dev.hotmem.client;

import java.time.Instant;

/**
 * One recalled memory as an LLM-ready message object ({@code {"role": "system", "content", ...}}).
 *
 * @param role always {@code system}
 * @param content the memory's text (a prefix ending in "…" when {@code truncated})
 * @param memoryId the memory's id
 * @param identifier the subject the memory is about
 * @param score final relevance in [0, 1], higher is better; comparable within one search only
 * @param namespace the memory's namespace
 * @param kind the memory's kind
 * @param category the memory's category, or null
 * @param scope the memory's scope, or null
 * @param createdAt when the memory was stored
 * @param truncated true only when not even the best memory fit the budget whole
 * @param breakdown how {@code score} was computed, or null when the server does not send it
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
    ScoreBreakdown breakdown) {}
