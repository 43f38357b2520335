package dev.hotmem.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StopWordsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a", "an", "the", "i", "you", "it", "is", "are", "did", "what", "when", "who", "how",
        "where", "which", "about", "of", "in", "and", "or", "not", "s", "t", "don"
      })
  void commonFunctionWordsAreStopWords(String word) {
    assertThat(StopWords.contains(word)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"caroline", "painting", "say", "may", "won", "cafe", "", "The", "WHAT"})
  void contentWordsAndOtherSpellingsAreNot(String word) {
    assertThat(StopWords.contains(word)).isFalse();
  }

  @Test
  void everyEntryIsASingleTokenInTokenizerForm() {
    assertThat(StopWords.words())
        .allSatisfy(word -> assertThat(TextTokenizer.tokens(word)).containsExactly(word));
  }

  @Test
  void theListIsAStandardSizedEnglishList() {
    assertThat(StopWords.words()).hasSizeBetween(150, 180);
  }
}
