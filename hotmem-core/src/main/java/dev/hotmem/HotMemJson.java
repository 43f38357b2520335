package dev.hotmem;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * HotMem's wire format, defined once for every face: snake_case field names ({@code memory_id},
 * {@code trace_ms}), instants as ISO-8601 strings ({@code 2026-11-24T06:50:01.123Z}), statuses and
 * error codes in lower case, unknown fields ignored on input.
 */
public final class HotMemJson {
  private static final ObjectMapper SHARED = newMapper();

  private HotMemJson() {}

  /** A new mapper configured for the wire format; callers may configure their copy further. */
  public static ObjectMapper newMapper() {
    SimpleModule wire = new SimpleModule("hotmem-wire");
    wire.addSerializer(Instant.class, new InstantSerializer());
    wire.addDeserializer(Instant.class, new InstantDeserializer());
    wire.addSerializer(MemoryStatus.class, new LowerCaseSerializer<>(MemoryStatus.class));
    wire.addDeserializer(MemoryStatus.class, new StatusDeserializer());
    wire.addSerializer(ErrorCode.class, new LowerCaseSerializer<>(ErrorCode.class));
    return new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .registerModule(wire);
  }

  /** Serialises a value (a {@link RecallResult}, a {@link Memory}, ...) in the wire format. */
  public static String toJson(Object value) {
    try {
      return SHARED.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the fields of one memory (not its enclosing object) in the wire format, in a fixed
   * order: the memory objects of the HTTP API and the lines of a swap file are this shape, written
   * by this one method. {@code context} is written only when the memory has one.
   */
  public static void writeMemoryFields(JsonGenerator g, Memory m) throws IOException {
    g.writeStringField("memory_id", m.id());
    g.writeStringField("namespace", m.namespace());
    g.writeStringField("identifier", m.identifier());
    g.writeStringField("content", m.content());
    g.writeStringField("kind", m.kind());
    g.writeNumberField("importance", m.importance());
    g.writeStringField("category", m.category());
    g.writeStringField("scope", m.scope());
    g.writeStringField("source", m.source());
    g.writeFieldName("metadata");
    SHARED.writeValue(g, m.metadata());
    g.writeStringField("content_hash", m.contentHash());
    writeInstant(g, "created_at", m.createdAt());
    writeInstant(g, "updated_at", m.updatedAt());
    writeInstant(g, "last_accessed_at", m.lastAccessedAt());
    g.writeNumberField("access_count", m.accessCount());
    writeInstant(g, "expires_at", m.expiresAt());
    g.writeStringField("status", m.status().wire());
    g.writeStringField("superseded_by", m.supersededBy());
    // Only when set: most memories have none, and older readers never saw the field.
    if (m.context() != null) {
      g.writeStringField("context", m.context());
    }
  }

  private static void writeInstant(JsonGenerator g, String field, Instant value)
      throws IOException {
    g.writeStringField(field, value == null ? null : value.toString());
  }

  private static final class InstantSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  private static final class InstantDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        return (Instant)
            ctxt.handleWeirdStringValue(Instant.class, text, "expected an ISO-8601 instant");
      }
    }
  }

  private static final class StatusDeserializer extends JsonDeserializer<MemoryStatus> {
    @Override
    public MemoryStatus deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      try {
        return MemoryStatus.parse(text);
      } catch (HotMemException.InvalidRequest e) {
        return (MemoryStatus) ctxt.handleWeirdStringValue(MemoryStatus.class, text, e.getMessage());
      }
    }
  }

  private static final class LowerCaseSerializer<E extends Enum<E>> extends JsonSerializer<E> {
    private final Class<E> type;

    LowerCaseSerializer(Class<E> type) {
      this.type = type;
    }

    @Override
    public Class<E> handledType() {
      return type;
    }

    @Override
    public void serialize(E value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(value.name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
