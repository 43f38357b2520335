package dev.hotmem.server;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import dev.hotmem.MemoryStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON request bodies, field for field as they are on the wire (snake_case through {@link
 * Json#MAPPER}). Every field is boxed: absent and {@code null} mean "not given". Unknown fields are
 * ignored. Validation happens when a body is turned into an engine value, so the engine's own rules
 * (and messages) apply.
 */
final class Requests {
  private Requests() {}

  /** {@code POST /v1/add}, and each item of {@code POST /v1/add/batch}. */
  record Add(
      String identifier,
      String fact,
      Double importance,
      String source,
      Map<String, Object> metadata,
      Long ttlSeconds,
      String namespace,
      String kind,
      String category,
      String scope,
      String context) {}

  /** {@code POST /v1/add/batch}. */
  record AddBatch(List<Add> memories) {}

  /** {@code POST /v1/search}. */
  record Search(
      String query,
      Integer topK,
      Integer maxChars,
      Integer maxTokens,
      Double minScore,
      String namespace,
      String identifier,
      String category,
      String kind,
      String scope,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<MemoryStatus> status,
      Instant createdAfter,
      Instant createdBefore) {}

  /** {@code PATCH /v1/memory/{id}}. */
  record Update(Double importance, Map<String, Object> metadata, String category) {}

  /** {@code POST /v1/hydrate}. */
  record Hydrate(@JsonAlias("path") String file, Boolean skipBad) {}

  /** {@code POST /v1/snapshot}. */
  record Snapshot(@JsonAlias("path") String file, Boolean includeEmbeddings) {}
}
