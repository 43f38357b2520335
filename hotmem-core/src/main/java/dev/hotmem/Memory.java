package dev.hotmem;

import java.time.Instant;
import java.util.Map;

/**
 * One stored memory, as read from the store. Immutable.
 *
 * @param id sortable unique id (a ULID: 26 Crockford base-32 characters, ordered by creation time)
 * @param namespace the isolation unit (a user, an agent, a project); never null
 * @param identifier the subject the fact is about, for example {@code vendor_x}; never null
 * @param content the fact text; never null or blank
 * @param kind the kind of memory, {@code fact} unless stated otherwise; never null
 * @param importance how much the memory matters, in [0, 1]
 * @param category free-text category, or null
 * @param scope the unit of work this memory belongs to, or null
 * @param source where the memory came from (a tool, a file, a URL), or null
 * @param metadata a JSON object as an unmodifiable map (values are strings, numbers, booleans,
 *     nulls, lists and maps); empty, never null
 * @param contentHash lower-case hex SHA-256 of identifier, a newline and content
 * @param createdAt when the memory was stored (millisecond precision)
 * @param updatedAt when the memory was last changed
 * @param lastAccessedAt when recall last returned it, or null if never
 * @param accessCount how many times recall returned it
 * @param expiresAt when it expires (from a TTL), or null if it never does
 * @param status its lifecycle state
 * @param supersededBy the id of the memory that replaced it, or null
 * @param context the text the memory answers or follows (for example the question or the previous
 *     turn of a conversation), or null; searched and embedded with the content, never returned as
 *     the memory's text
 */
public record Memory(
    String id,
    String namespace,
    String identifier,
    String content,
    String kind,
    double importance,
    String category,
    String scope,
    String source,
    Map<String, Object> metadata,
    String contentHash,
    Instant createdAt,
    Instant updatedAt,
    Instant lastAccessedAt,
    long accessCount,
    Instant expiresAt,
    MemoryStatus status,
    String supersededBy,
    String context) {

  public Memory {
    metadata = metadata == null ? Map.of() : metadata;
  }
}
