package dev.hotmem.internal.swap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hotmem.HotMemException.InvalidRequest;
import dev.hotmem.HotMemJson;
import dev.hotmem.Limits;
import dev.hotmem.Memory;
import dev.hotmem.MemoryStatus;
import dev.hotmem.NewMemory;
import dev.hotmem.internal.store.MetadataCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The swap line format: one JSON object per line, one memory per object.
 *
 * <p>Written in this field order: {@code memory_id, namespace, identifier, content, kind,
 * importance, category, scope, source, metadata, content_hash, created_at, updated_at,
 * last_accessed_at, access_count, expires_at, status, superseded_by, embedding_model, embedding}
 * (nulls written as null; {@code embedding} is the base64 of the float32 little-endian vector).
 *
 * <p>Read leniently, as a format other tools write too: only {@code content} (alias {@code fact})
 * is required, {@code id} is an alias of {@code memory_id}, {@code ttl_seconds} stands in for a
 * missing {@code expires_at}, unknown fields are ignored, and every absent field takes its default.
 * Read strictly where leniency would store garbage: bad UTF-8, duplicate keys, a wrong type or an
 * out-of-range value make the line bad, naming the field.
 */
public final class SwapCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
          .build();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  private static final Pattern ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64_IN = Base64.getDecoder();

  private SwapCodec() {}

  /**
   * Parses one line.
   *
   * @return the entry, or null for a blank line
   * @throws BadLineException if the line is not a loadable memory
   */
  public static SwapEntry parse(byte[] bytes, int length) throws BadLineException {
    String text;
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      text = utf8.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    } catch (CharacterCodingException e) {
      throw new BadLineException("is not valid UTF-8");
    }
    if (text.isBlank()) {
      return null;
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BadLineException("is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new BadLineException("is not a JSON object");
    }
    try {
      return toEntry(node);
    } catch (InvalidRequest e) {
      throw new BadLineException(
          (e.field() == null ? "" : "field " + e.field() + ": ") + messageOf(e));
    }
  }

  private static String messageOf(InvalidRequest e) {
    String m = e.getMessage();
    String prefix = e.field() + " ";
    return e.field() != null && m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  private static SwapEntry toEntry(JsonNode n) throws BadLineException {
    String content = text(n, "content");
    if (content == null) {
      content = text(n, "fact");
    }
    if (content == null) {
      throw new BadLineException("has no content (or fact)");
    }
    String id = text(n, "memory_id");
    if (id == null) {
      id = text(n, "id");
    }
    if (id != null && !ID.matcher(id).matches()) {
      throw new BadLineException("field memory_id: must be 1 to 64 letters, digits, _ or -");
    }
    Double importance = number(n, "importance");
    // NewMemory validates the fields a new memory has, with the same limits as remember().
    NewMemory checked =
        new NewMemory(
            text(n, "namespace"),
            text(n, "identifier"),
            content,
            text(n, "kind"),
            importance == null ? NewMemory.DEFAULT_IMPORTANCE : importance,
            text(n, "category"),
            text(n, "scope"),
            text(n, "source"),
            null,
            null,
            text(n, "context"));
    String metadataJson = metadata(n);
    String statusText = text(n, "status");
    MemoryStatus status = statusText == null ? MemoryStatus.ACTIVE : MemoryStatus.parse(statusText);
    Long accessCount = integer(n, "access_count");
    if (accessCount != null && accessCount < 0) {
      throw new BadLineException("field access_count: must not be negative");
    }
    Double ttlSeconds = number(n, "ttl_seconds");
    if (ttlSeconds != null && !(ttlSeconds > 0 && ttlSeconds <= Limits.MAX_TTL_SECONDS)) {
      throw new BadLineException(
          "field ttl_seconds: must be positive and at most " + Limits.MAX_TTL_SECONDS);
    }
    String supersededBy = text(n, "superseded_by");
    if (supersededBy != null && !ID.matcher(supersededBy).matches()) {
      throw new BadLineException("field superseded_by: must be a memory id");
    }
    String model = text(n, "embedding_model");
    String vectorText = text(n, "embedding");
    byte[] vector = null;
    if (vectorText != null) {
      try {
        vector = B64_IN.decode(vectorText);
      } catch (IllegalArgumentException e) {
        throw new BadLineException("field embedding: is not base64");
      }
      if (vector.length == 0 || vector.length % Float.BYTES != 0) {
        throw new BadLineException(
            "field embedding: " + vector.length + " bytes is not a float32 vector");
      }
      if (model == null) {
        throw new BadLineException("field embedding: has no embedding_model");
      }
    }
    return new SwapEntry(
        id,
        checked.namespace(),
        checked.identifier(),
        checked.content(),
        checked.kind(),
        checked.importance(),
        checked.category(),
        checked.scope(),
        checked.source(),
        metadataJson,
        text(n, "content_hash"),
        instant(n, "created_at"),
        instant(n, "updated_at"),
        instant(n, "last_accessed_at"),
        accessCount == null ? 0 : accessCount,
        instant(n, "expires_at"),
        ttlSeconds == null ? null : (long) Math.ceil(ttlSeconds * 1000),
        status,
        supersededBy,
        vector == null ? null : model,
        vector,
        checked.context());
  }

  private static String text(JsonNode n, String field) throws BadLineException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new BadLineException(
          "field " + field + ": expected a string, found " + v.getNodeType());
    }
    return v.textValue();
  }

  private static Double number(JsonNode n, String field) throws BadLineException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new BadLineException(
          "field " + field + ": expected a number, found " + v.getNodeType());
    }
    return v.doubleValue();
  }

  private static Long integer(JsonNode n, String field) throws BadLineException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new BadLineException("field " + field + ": expected an integer, found " + v);
    }
    return v.longValue();
  }

  private static Long instant(JsonNode n, String field) throws BadLineException {
    String v = text(n, field);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new BadLineException("field " + field + ": expected an ISO-8601 instant, found " + v);
    }
  }

  private static String metadata(JsonNode n) throws BadLineException {
    JsonNode v = n.get("metadata");
    if (v == null || v.isNull()) {
      return "{}";
    }
    if (!v.isObject()) {
      throw new BadLineException("field metadata: expected an object, found " + v.getNodeType());
    }
    Map<String, Object> map = MAPPER.convertValue(v, MAP);
    return MetadataCodec.encode(map);
  }

  /**
   * Writes one memory as one line (with its trailing newline).
   *
   * @param embeddingModel the vector's model, or null to write no vector
   * @param embedding the stored vector bytes (float32 little-endian), or null
   */
  public static void write(JsonGenerator g, Memory m, String embeddingModel, byte[] embedding)
      throws IOException {
    g.writeStartObject();
    HotMemJson.writeMemoryFields(g, m);
    if (embedding != null) {
      g.writeStringField("embedding_model", embeddingModel);
      g.writeStringField("embedding", B64.encodeToString(embedding));
    } else {
      g.writeNullField("embedding_model");
      g.writeNullField("embedding");
    }
    g.writeEndObject();
    g.writeRaw('\n');
  }

  /** Configures a generator for swap lines: no pretty printing, no auto-close of the stream. */
  public static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = MAPPER.getFactory().createGenerator(out);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.setRootValueSeparator(null); // write() ends each line itself
    return g;
  }
}
