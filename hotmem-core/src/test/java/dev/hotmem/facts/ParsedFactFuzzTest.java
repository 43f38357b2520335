package dev.hotmem.facts;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link ParsedFact#parse}: for any text it returns a fact and never throws; a plain fact
 * keeps the stripped text whole under the target {@code general}; a notation fact has a valid
 * lower-case target, and its {@link ParsedFact#line()} reads back as the same fact.
 *
 * <p>In a normal build this runs once per seed in {@code
 * src/test/resources/dev/hotmem/facts/ParsedFactFuzzTestInputs/parseNeverFailsAndRoundTrips/}. To
 * fuzz for 60 seconds:
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 ./mvnw -o test -pl hotmem-core -Dtest=ParsedFactFuzzTest
 * }</pre>
 *
 * <p>Seeds are read as UTF-8, each invalid byte becoming the unpaired surrogate {@code U+DC00 +
 * byte}, as in {@code FtsQueryFuzzTest}.
 */
class ParsedFactFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void parseNeverFailsAndRoundTrips(byte[] input) {
    String text = decode(input);
    ParsedFact p = ParsedFact.parse(text);
    assertThat(p).isNotNull();
    if (p.type() == FactType.PLAIN) {
      assertThat(p.target()).isEqualTo(ParsedFact.PLAIN_TARGET);
      assertThat(p.text()).isEqualTo(text.strip());
      return;
    }
    assertThat(p.target()).isNotEmpty().hasSizeLessThanOrEqualTo(ParsedFact.MAX_TARGET_CHARS);
    assertThat(p.target()).doesNotStartWith(".").doesNotEndWith(".").doesNotContain("..");
    assertThat(p.text()).isEqualTo(p.text().strip());
    assertThat(ParsedFact.parse(p.line())).isEqualTo(p);
  }

  static String decode(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    while (result.isError()) {
      for (int i = 0; i < result.length(); i++) {
        out.put((char) (0xDC00 | (in.get() & 0xFF)));
      }
      result = decoder.decode(in, out, true);
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
