package dev.hotmem.internal.swap;

import dev.hotmem.MemoryStatus;

/**
 * One memory as read from a swap line, validated. Times are epoch milliseconds.
 *
 * @param id the memory's id, or null when the line has none (a new one is assigned)
 * @param metadataJson the metadata object, validated and compact
 * @param contentHash the hash the line claims, or null when it has none (checked by the loader)
 * @param createdAt null when the line has none (the load time is used)
 * @param updatedAt null when the line has none (the creation time is used)
 * @param embeddingModel the model the vector came from, or null when the line has no vector
 * @param embedding the raw float32 little-endian vector bytes, or null
 * @param context the text the memory answers or follows, or null
 */
public record SwapEntry(
    String id,
    String namespace,
    String identifier,
    String content,
    String kind,
    double importance,
    String category,
    String scope,
    String source,
    String metadataJson,
    String contentHash,
    Long createdAt,
    Long updatedAt,
    Long lastAccessedAt,
    long accessCount,
    Long expiresAt,
    Long ttlMillis,
    MemoryStatus status,
    String supersededBy,
    String embeddingModel,
    byte[] embedding,
    String context) {}
