package dev.hotmem.client;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HotMem wire format as the client reads and writes it: snake_case names, ISO-8601 instants,
 * null fields left out of requests, unknown fields in answers ignored (a newer server may add
 * fields). Kept separate from hotmem-core's {@code HotMemJson} on purpose: the client does not
 * depend on the engine.
 */
final class Wire {
  static final ObjectMapper MAPPER = newMapper();

  private Wire() {}

  private static ObjectMapper newMapper() {
    SimpleModule wire = new SimpleModule("hotmem-client-wire");
    wire.addSerializer(Instant.class, new InstantSerializer());
    wire.addDeserializer(Instant.class, new InstantDeserializer());
    return new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .setDefaultPropertyInclusion(
            // Absent request fields are left out; nulls inside metadata are kept.
            JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .registerModule(wire);
  }

  /** An unmodifiable copy that keeps null values and order (JSON objects may hold nulls). */
  static Map<String, Object> copyOf(Map<String, Object> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** An unmodifiable copy; null becomes empty. */
  static <T> List<T> copyOf(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  /**
   * Percent-encodes one path segment (RFC 3986 unreserved characters stay), so an id such as {@code
   * ../health} or {@code a/b?c} cannot leave its segment.
   */
  static String pathSegment(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    String encoded = out.toString();
    // "." and ".." are unreserved but would still be read as relative path steps.
    return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
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
      if (text == null) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        return (Instant)
            ctxt.handleWeirdStringValue(Instant.class, text, "expected an ISO-8601 instant");
      }
    }
  }
}
