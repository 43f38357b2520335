package dev.hotmem.internal.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextTokenizerTest {

  @Test
  void splitsOnEverythingButLettersAndDigitsAndLowerCases() {
    assertThat(TextTokenizer.tokens("Hello, World! It's 3.14 a_b x-y #tag @me e-mail:x"))
        .containsExactly(
            "hello", "world", "it", "s", "3", "14", "a", "b", "x", "y", "tag", "me", "e", "mail",
            "x");
  }

  @Test
  void numbersOfEveryKindAreTokenCharacters() {
    assertThat(TextTokenizer.tokens("½ ① Ⅻ ٠١٢")).containsExactly("½", "①", "ⅻ", "٠١٢");
  }

  @Test
  void latinDiacriticsAreRemovedComposedOrDecomposed() {
    assertThat(TextTokenizer.tokens("Café Crème Ñandú Łódź façade ệ"))
        .containsExactly("cafe", "creme", "nandu", "łodz", "facade", "e");
    assertThat(TextTokenizer.tokens("cafe\u0301 n\u0303andu\u0301"))
        .containsExactly("cafe", "nandu");
  }

  @Test
  void dottedCapitalIBecomesPlainI() {
    assertThat(TextTokenizer.tokens("İstanbul ISTANBUL")).containsExactly("istanbul", "istanbul");
  }

  @Test
  void greekAndCyrillicKeepTheirMarksAsSqliteDoes() {
    // Σίσυφος with a final sigma, and in capitals; мой новый (Russian, with й)
    assertThat(
            TextTokenizer.tokens(
                "\u03A3\u03AF\u03C3\u03C5\u03C6\u03BF\u03C2 \u03A3\u038A\u03A3\u03A5\u03A6\u039F\u03A3 \u043C\u043E\u0439"))
        .containsExactly(
            "\u03C3\u03AF\u03C3\u03C5\u03C6\u03BF\u03C3",
            "\u03C3\u03AF\u03C3\u03C5\u03C6\u03BF\u03C3",
            "\u043C\u043E\u0439");
  }

  @Test
  void caseIsFoldedPerCharacter() {
    assertThat(TextTokenizer.tokens("\u00B5g \u017Ftra\u00DFe \u01C5emal"))
        .containsExactly("\u03BCg", "stra\u00DFe", "\u01C6emal");
    assertThat(TextTokenizer.tokens("\u0131l\u0131k")).containsExactly("\u0131l\u0131k");
  }

  @Test
  void combiningMarksOtherThanLatinDiacriticsSeparateTokens() {
    assertThat(TextTokenizer.tokens("हिन्दी")).containsExactly("ह", "न", "द");
    assertThat(TextTokenizer.tokens("a\u20DDb x\u0903y")).containsExactly("a", "b", "x", "y");
  }

  @Test
  void privateUseAndSupplementaryLettersAreTokenCharacters() {
    assertThat(TextTokenizer.tokens("\uE000x \uD835\uDC00BC \uD801\uDC00"))
        .containsExactly("\uE000x", "\uD835\uDC00bc", "\uD801\uDC28");
  }

  @Test
  void emojiSymbolsAndControlCharactersSeparate() {
    assertThat(TextTokenizer.tokens("a\uD83D\uDE00b c\u200Bd e\u0000f g\tH"))
        .containsExactly("a", "b", "c", "d", "e", "f", "g", "h");
  }

  @Test
  void unpairedSurrogatesSeparate() {
    assertThat(TextTokenizer.tokens("a\uD800b\uDC00c\uDBFF")).containsExactly("a", "b", "c");
    assertThat(TextTokenizer.tokens("\uDC00\uD800")).isEmpty();
  }

  @Test
  void textWithoutTokenCharactersHasNoTokens() {
    assertThat(TextTokenizer.tokens("")).isEmpty();
    assertThat(TextTokenizer.tokens(" \t\n")).isEmpty();
    assertThat(TextTokenizer.tokens("?!*()\"\u0301")).isEmpty();
  }

  @Test
  void aVeryLongWordIsOneToken() {
    String word = "ab".repeat(50_000);

    assertThat(TextTokenizer.tokens(word.toUpperCase(java.util.Locale.ROOT))).containsExactly(word);
  }

  @Test
  void forEachTokenHandsOutOneReusedBufferInOrder() {
    List<String> seen = new ArrayList<>();
    Map<CharSequence, Boolean> buffers = new IdentityHashMap<>();

    TextTokenizer.forEachToken(
        new StringBuilder("one, Two; THREE"),
        token -> {
          seen.add(token.toString());
          buffers.put(token, true);
        });

    assertThat(seen).containsExactly("one", "two", "three");
    assertThat(buffers).hasSize(1);
  }

  @Test
  void nullArgumentsAreRejected() {
    assertThatThrownBy(() -> TextTokenizer.tokens(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> TextTokenizer.forEachToken("x", null))
        .isInstanceOf(NullPointerException.class);
  }
}
