package dev.hotmem.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class TextTokenizerPropertiesTest {

  @Property
  void everyTokenIsItsOwnOnlyToken(@ForAll("text") String text) {
    for (String token : TextTokenizer.tokens(text)) {
      assertThat(TextTokenizer.tokens(token)).containsExactly(token);
    }
  }

  @Property
  void tokenizingTheJoinedTokensGivesTheSameTokens(@ForAll("text") String text) {
    List<String> tokens = TextTokenizer.tokens(text);

    assertThat(TextTokenizer.tokens(String.join(" ", tokens))).isEqualTo(tokens);
  }

  @Property
  void upperAndLowerCaseTextHaveTheSameTokens(@ForAll("text") String text) {
    String upper = text.toUpperCase(Locale.ROOT);

    assertThat(TextTokenizer.tokens(upper.toLowerCase(Locale.ROOT)))
        .isEqualTo(TextTokenizer.tokens(upper));
  }

  /** Mostly Latin words and FTS5 syntax, with accents, marks, other scripts and any char at all. */
  @Provide
  Arbitrary<String> text() {
    Arbitrary<Character> chars =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.chars().range('a', 'z')),
            Tuple.of(3, Arbitraries.chars().range('A', 'Z')),
            Tuple.of(3, Arbitraries.of(' ', '.', ',', '"', '\'', '-', '*', '(', ')', ':', '^')),
            Tuple.of(2, Arbitraries.chars().range('\u00C0', '\u024F')),
            Tuple.of(1, Arbitraries.chars().range('\u0300', '\u036F')),
            Tuple.of(1, Arbitraries.chars().range('\u0370', '\u052F')),
            Tuple.of(1, Arbitraries.chars().range('\uD800', '\uDFFF')),
            Tuple.of(1, Arbitraries.chars().all()));
    return chars
        .list()
        .ofMaxSize(40)
        .map(
            list -> {
              StringBuilder text = new StringBuilder(list.size());
              list.forEach(text::append);
              return text.toString();
            });
  }
}
