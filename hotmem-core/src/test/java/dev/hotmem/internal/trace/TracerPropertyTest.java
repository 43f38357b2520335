package dev.hotmem.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;

/**
 * Any string, including control characters and lone surrogates, survives a trace line: the line is
 * one line of printable ASCII, and a JSON parser gives back exactly the string that was put, except
 * that lone surrogates come back as U+FFFD.
 */
class TracerPropertyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Property(tries = 2000)
  void everyStringRoundTripsThroughOneAsciiLine(
      @ForAll @CharRange(from = '\u0000', to = '\uffff') String value,
      @ForAll @CharRange(from = '\u0000', to = '\uffff') String key,
      @ForAll double number)
      throws JsonProcessingException {
    List<String> lines = new ArrayList<>();
    Tracer tracer =
        Tracer.toSink(lines::add, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), System::nanoTime);
    String safeKey = "k" + key; // never a reserved name, never "number"

    tracer.start("search", value).put(safeKey, value).put("number", number).end();

    assertThat(lines).hasSize(1);
    String line = lines.get(0);
    assertThat(line.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    JsonNode parsed = JSON.readTree(line);
    assertThat(parsed.get("op").asText()).isEqualTo(withLoneSurrogatesReplaced(value));
    assertThat(parsed.get("k" + withLoneSurrogatesReplaced(key)).asText())
        .isEqualTo(withLoneSurrogatesReplaced(value));
    if (Double.isFinite(number)) {
      assertThat(parsed.get("number").asDouble()).isEqualTo(number);
    } else {
      assertThat(parsed.get("number").isNull()).isTrue();
    }
  }

  /** A reference model, written independently of the tracer: walks code points. */
  private static String withLoneSurrogatesReplaced(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .map(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE ? 0xfffd : cp)
        .forEach(out::appendCodePoint);
    return out.toString();
  }
}
