package dev.hotmem.client;

import java.time.Instant;
import java.util.Map;

/**
 * One stored memory as the server returns it from add, get, update and list.
 *
 * @param memoryId sortable unique id (a ULID)
 * @param namespace the isolation unit (a user, an agent, a project)
 * @param identifier the subject the fact is about, for example {@code vendor_x}
 * @param content the fact text
 * @param kind the kind of memory ({@code fact} unless stated otherwise)
 * @param importance how much the memory matters, in [0, 1]
 * @param category free-text category, or null
 * @param scope the unit of work the memory belongs to, or null
 * @param source where the memory came from, or null
 * @param metadata a JSON object as an unmodifiable map; empty, never null
 * @param contentHash lower-case hex SHA-256 of identifier, a newline and content
 * @param createdAt when the memory was stored
 * @param updatedAt when it was last changed
 * @param lastAccessedAt when a search last returned it, or null
 * @param accessCount how many times a search returned it
 * @param expiresAt when it expires, or null if it never does
 * @param status its lifecycle state in lower case: {@code active}, {@code superseded}, {@code
 *     archived} (a string, so a newer server's states still read)
 * @param supersededBy the id of the memory that replaced it, or null
 * @param context the text the memory answers or follows, or null
 */
public record StoredMemory(
    String memoryId,
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
    String status,
    String supersededBy,
    String context) {

  public StoredMemory {
    metadata = Wire.copyOf(metadata);
  }
}
