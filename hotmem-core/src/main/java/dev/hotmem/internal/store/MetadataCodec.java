package dev.hotmem.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotmem.HotMemException.InvalidRequest;
import dev.hotmem.Limits;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metadata objects to and from their JSON column. Only JSON values are accepted (strings, finite
 * numbers, booleans, nulls, lists, maps with string keys), so what is stored always reads back the
 * same; anything else is an invalid request rather than a silently bean-serialised object.
 */
public final class MetadataCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  private static final int MAX_DEPTH = 32;

  private MetadataCodec() {}

  public static String encode(Map<String, Object> metadata) {
    if (metadata.isEmpty()) {
      return "{}";
    }
    check(metadata, 0);
    String json;
    try {
      json = MAPPER.writeValueAsString(metadata);
    } catch (JsonProcessingException e) {
      throw new InvalidRequest(
          "metadata", "is not serialisable as JSON: " + e.getOriginalMessage());
    }
    if (json.length() > Limits.MAX_METADATA_CHARS) {
      throw new InvalidRequest(
          "metadata",
          "is " + json.length() + " chars as JSON; the limit is " + Limits.MAX_METADATA_CHARS);
    }
    return json;
  }

  private static void check(Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new InvalidRequest("metadata", "nests deeper than " + MAX_DEPTH + " levels");
    }
    if (value == null || value instanceof String || value instanceof Boolean) {
      return;
    }
    if (value instanceof Number n) {
      if (n instanceof Double || n instanceof Float) {
        if (!Double.isFinite(n.doubleValue())) {
          throw new InvalidRequest("metadata", "numbers must be finite; found " + n);
        }
      }
      return;
    }
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new InvalidRequest("metadata", "keys must be strings; found " + e.getKey());
        }
        check(e.getValue(), depth + 1);
      }
      return;
    }
    if (value instanceof Collection<?> c) {
      for (Object o : c) {
        check(o, depth + 1);
      }
      return;
    }
    throw new InvalidRequest(
        "metadata",
        "values must be JSON (string, number, boolean, null, list, object); found "
            + value.getClass().getName());
  }

  /** Parses a stored metadata column into an unmodifiable map. */
  public static Map<String, Object> decode(String json) {
    if (json == null || json.equals("{}")) {
      return Map.of();
    }
    try {
      return freeze(MAPPER.readValue(json, MAP));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored metadata is not a JSON object: " + json, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T freeze(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put((String) k, freeze(v)));
      return (T) Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      l.forEach(v -> copy.add(freeze(v)));
      return (T) Collections.unmodifiableList(copy);
    }
    return value;
  }
}
