package dev.hotmem.internal.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hotmem.internal.text.TextTokenizer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link FtsQuery#build} against a real SQLite FTS5 table: for any user text, building must
 * not throw (only null may, with {@code InvalidRequest}, which {@code FtsQueryTest} covers), the
 * result must be distinct quoted terms joined by {@code " OR "}, each a token of the text, read
 * back by a strict parser, and SQLite must run it without an error.
 *
 * <p>In a normal build ({@code ./mvnw verify}) this runs once per seed in {@code
 * src/test/resources/dev/hotmem/internal/search/FtsQueryFuzzTestInputs/matchExpressionIsAlwaysSafe/}
 * (plus the empty input), like any other test. To fuzz for 60 seconds (the annotation's {@code
 * maxDuration}):
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 ./mvnw -o test -pl hotmem-core -Dtest=FtsQueryFuzzTest
 * }</pre>
 *
 * <p>A crashing input is written to the inputs directory above; fix the cause and keep the file as
 * a regression seed. The generated corpus goes to {@code .cifuzz-corpus/} (not committed).
 *
 * <p>Seeds are raw bytes read as UTF-8, except that each byte that is not part of a valid UTF-8
 * sequence becomes the unpaired low surrogate {@code U+DC00 + byte} (as Python's {@code
 * surrogateescape} does), so seed files are readable text and the fuzzer can still reach unpaired
 * surrogates.
 */
class FtsQueryFuzzTest {
  private static Fts5TestTable table;

  @BeforeAll
  static void createTable() throws SQLException {
    table = new Fts5TestTable();
    table.insert("Caroline: I love painting", "caroline");
    table.insert("We met at the café on Main Street", "places");
    table.insert("who is it AND OR NOT near", "syntax");
  }

  @AfterAll
  static void dropTable() throws SQLException {
    table.close();
  }

  @FuzzTest(maxDuration = "60s")
  void matchExpressionIsAlwaysSafe(byte[] input) throws SQLException {
    String userText = decode(input);

    Optional<String> expression = FtsQuery.build(userText);

    List<String> tokens = TextTokenizer.tokens(userText);
    if (expression.isEmpty()) {
      assertThat(tokens).isEmpty();
      return;
    }
    List<String> terms = MatchExpressions.terms(expression.get());
    assertThat(terms).hasSizeBetween(1, FtsQuery.MAX_TERMS).doesNotHaveDuplicates();
    assertThat(tokens).containsAll(terms);
    table.match(expression.get());
  }

  @Test
  void seedsAreReadAsUtf8WithInvalidBytesAsUnpairedSurrogates() {
    assertThat(decode("Café 😀".getBytes(StandardCharsets.UTF_8))).isEqualTo("Café 😀");
    assertThat(decode(new byte[] {'a', (byte) 0xFF, 'b', (byte) 0xC3})).isEqualTo("a\uDCFFb\uDCC3");
    assertThat(decode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))
        .isEqualTo("\uDCED\uDCA0\uDC80");
    assertThat(decode(new byte[0])).isEmpty();
  }

  /** UTF-8 with invalid bytes mapped to unpaired surrogates; see the class documentation. */
  static String decode(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // A UTF-8 sequence never decodes to more chars than it has bytes, nor does an escaped byte.
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
