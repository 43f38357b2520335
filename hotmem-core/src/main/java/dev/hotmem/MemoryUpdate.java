package dev.hotmem;

import dev.hotmem.HotMemException.InvalidRequest;
import java.util.Map;

/**
 * A change to a stored memory's mutable fields. A null field is left unchanged; at least one must
 * be given.
 *
 * @param importance new importance in [0, 1]
 * @param metadata new metadata object (replaces the old one)
 * @param category new category; an empty string clears it
 */
public record MemoryUpdate(Double importance, Map<String, Object> metadata, String category) {
  public MemoryUpdate {
    if (importance == null && metadata == null && category == null) {
      throw new InvalidRequest(null, "nothing to update: give importance, metadata or category");
    }
    if (importance != null) {
      importance = Limits.requireUnit("importance", importance);
    }
    if (category != null && !category.isEmpty()) {
      Limits.optionalLabel("category", category, Limits.MAX_LABEL_CHARS);
    }
  }

  public static MemoryUpdate importance(double importance) {
    return new MemoryUpdate(importance, null, null);
  }

  public static MemoryUpdate metadata(Map<String, Object> metadata) {
    return new MemoryUpdate(null, metadata, null);
  }

  public static MemoryUpdate category(String category) {
    return new MemoryUpdate(null, null, category);
  }
}
