package dev.hotmem.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotmem.HotMemJson;
import dev.hotmem.Memory;
import dev.hotmem.MemoryPage;
import dev.hotmem.Remembered;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CLI's {@code --json} output: the same shapes as the HTTP API, written with {@link
 * HotMemJson}'s mapper, one JSON document per command on one line.
 */
final class WireFormat {
  static final ObjectMapper MAPPER = HotMemJson.newMapper();

  private WireFormat() {}

  /** A memory in the wire shape: {@code memory_id, namespace, identifier, content, ...}. */
  static Map<String, Object> memory(Memory m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("memory_id", m.id());
    out.put("namespace", m.namespace());
    out.put("identifier", m.identifier());
    out.put("content", m.content());
    out.put("kind", m.kind());
    out.put("importance", m.importance());
    out.put("category", m.category());
    out.put("scope", m.scope());
    out.put("source", m.source());
    out.put("metadata", m.metadata());
    out.put("content_hash", m.contentHash());
    out.put("created_at", m.createdAt());
    out.put("updated_at", m.updatedAt());
    out.put("last_accessed_at", m.lastAccessedAt());
    out.put("access_count", m.accessCount());
    out.put("expires_at", m.expiresAt());
    out.put("status", m.status());
    out.put("superseded_by", m.supersededBy());
    if (m.context() != null) {
      out.put("context", m.context()); // only when set, as the HTTP API writes it
    }
    return out;
  }

  /** The add answer: the stored memory plus {@code "duplicate"}. */
  static Map<String, Object> added(Remembered r) {
    Map<String, Object> out = memory(r.memory());
    out.put("duplicate", r.duplicate());
    return out;
  }

  /** The list answer: {@code {"memories": [...], "count", "total", "offset", "limit"}}. */
  static Map<String, Object> page(MemoryPage page) {
    List<Map<String, Object>> memories = new ArrayList<>();
    page.memories().forEach(m -> memories.add(memory(m)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("memories", memories);
    out.put("count", page.count());
    out.put("total", page.total());
    out.put("offset", page.offset());
    out.put("limit", page.limit());
    return out;
  }

  static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses a JSON object given on the command line (for example {@code --metadata}).
   *
   * @throws IllegalArgumentException naming what was wrong
   */
  static Map<String, Object> parseObject(String json) {
    JsonNode node;
    try {
      node = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "expected a JSON object: " + CliErrors.oneLine(e.getOriginalMessage()), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(
          "expected a JSON object, found "
              + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    return MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {});
  }
}
