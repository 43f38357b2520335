package dev.hotmem.client;

import java.util.Map;

/**
 * A change to a stored memory ({@code PATCH /v1/memory/{id}}). A null field is left unchanged; the
 * server refuses a request that changes nothing.
 *
 * @param importance new importance in [0, 1], or null
 * @param metadata new metadata object (replaces the old one), or null
 * @param category new category (an empty string clears it), or null
 */
public record UpdateRequest(Double importance, Map<String, Object> metadata, String category) {
  public UpdateRequest {
    metadata = metadata == null ? null : Wire.copyOf(metadata);
  }

  public static UpdateRequest importance(double importance) {
    return new UpdateRequest(importance, null, null);
  }

  public static UpdateRequest metadata(Map<String, Object> metadata) {
    return new UpdateRequest(null, metadata, null);
  }

  public static UpdateRequest category(String category) {
    return new UpdateRequest(null, null, category);
  }
}
