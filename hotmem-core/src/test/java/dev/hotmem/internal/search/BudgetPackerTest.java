package dev.hotmem.internal.search;

import static dev.hotmem.internal.search.BudgetPacker.ELLIPSIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.hotmem.TokenEncoding;
import dev.hotmem.internal.search.BudgetPacker.Item;
import dev.hotmem.internal.search.BudgetPacker.Packed;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Example-based tests, one per rule of the packing contract. */
class BudgetPackerTest {
  private static final TokenCounter CL100K = new TokenCounter(TokenEncoding.CL100K_BASE);
  private static final BudgetPacker.BoundedTokenCount NO_TOKENIZER =
      (text, limit) -> {
        throw new AssertionError("tokens counted without a token budget: " + text);
      };

  private final BudgetPacker charsOnly = new BudgetPacker(NO_TOKENIZER);
  private final BudgetPacker packer = new BudgetPacker(CL100K);

  @Test
  void withoutBudgetsEverythingIsReturnedInRankOrder() {
    Packed packed = charsOnly.pack(List.of("first", "second", "third"), null, null);

    assertThat(packed.items())
        .containsExactly(
            new Item(0, "first", false), new Item(1, "second", false), new Item(2, "third", false));
    assertThat(packed.omitted()).isZero();
  }

  @Test
  void aContentThatDoesNotFitIsSkippedAndLaterSmallerOnesStillFit() {
    Packed packed = charsOnly.pack(List.of("aaaaa", "bbbbbbbbbb", "cc", "ddd"), 8, null);

    assertThat(packed.items())
        .containsExactly(new Item(0, "aaaaa", false), new Item(2, "cc", false));
    assertThat(packed.omitted()).isEqualTo(2);
  }

  @Test
  void aBudgetMayBeFilledExactly() {
    Packed packed = charsOnly.pack(List.of("abcd", "efgh", "i"), 8, null);

    assertThat(packed.items()).extracting(Item::content).containsExactly("abcd", "efgh");
    assertThat(packed.omitted()).isEqualTo(1);
  }

  @Test
  void tokenBudgetCapsTheSumOfEachContentsTokenCount() {
    // "hello world" is 2 tokens, "tiktoken is great!" 6, "hi" 1 (cl100k_base).
    Packed packed = packer.pack(List.of("hello world", "tiktoken is great!", "hi"), null, 3);

    assertThat(packed.items()).extracting(Item::index).containsExactly(0, 2);
    assertThat(packed.omitted()).isEqualTo(1);
  }

  @Test
  void bothBudgetsMustHold() {
    BudgetPacker wordsAsTokens = new BudgetPacker((text, limit) -> text.split(" ").length);
    List<String> contents =
        List.of(
            "a b c d e f g", // 13 chars fit, 7 tokens do not
            "x".repeat(25), // 1 token fits, 25 chars do not
            "ab cd", // fits: 15 chars and 1 token left
            "e f", // 3 chars fit, 2 tokens do not
            "ghijk"); // fits

    Packed packed = wordsAsTokens.pack(contents, 20, 3);

    assertThat(packed.items()).extracting(Item::index).containsExactly(2, 4);
    assertThat(packed.omitted()).isEqualTo(3);
  }

  @Test
  void aZeroBudgetReturnsNothingNotEvenEmptyContentsAndCountsNoTokens() {
    BudgetPacker neverCounts = new BudgetPacker(NO_TOKENIZER);

    assertThat(neverCounts.pack(List.of("", "abc"), 0, null)).isEqualTo(new Packed(List.of(), 2));
    assertThat(neverCounts.pack(List.of("", "abc"), 100, 0)).isEqualTo(new Packed(List.of(), 2));
  }

  @Test
  void charsOnlyBudgetsNeverCountTokens() {
    Packed packed = charsOnly.pack(List.of("x".repeat(50), "short"), 10, null);

    assertThat(packed.items()).containsExactly(new Item(1, "short", false));
  }

  @Test
  void noTruncationWhenAnyContentFitsWhole() {
    Packed packed = charsOnly.pack(List.of("x".repeat(50), "y".repeat(20), "fits"), 10, null);

    assertThat(packed.items()).containsExactly(new Item(2, "fits", false));
    assertThat(packed.omitted()).isEqualTo(2);
  }

  @Test
  void whenNothingFitsTheBestRankedIsTruncatedAtAWordBoundary() {
    String best = "The quick brown fox jumps over the lazy dog";

    Packed packed = charsOnly.pack(List.of(best, "y".repeat(40)), 18, null);

    // 17 chars fit before the ellipsis: "The quick brown f"; the cut goes back to the space.
    assertThat(packed.items()).containsExactly(new Item(0, "The quick brown" + ELLIPSIS, true));
    assertThat(packed.omitted()).as("a truncated item is returned, not omitted").isEqualTo(1);
  }

  @Test
  void theBestRankedIsTruncatedEvenWhenALaterContentIsShorter() {
    Packed packed = charsOnly.pack(List.of("x".repeat(50), "y".repeat(11)), 10, null);

    assertThat(packed.items()).containsExactly(new Item(0, "x".repeat(9) + ELLIPSIS, true));
    assertThat(packed.omitted()).isEqualTo(1);
  }

  @Test
  void aCutAlreadyBeforeAWhitespaceKeepsTheWholeLastWord() {
    Packed packed = charsOnly.pack(List.of("The quick brown fox jumps"), 20, null);

    assertThat(packed.items()).containsExactly(new Item(0, "The quick brown fox" + ELLIPSIS, true));
  }

  @Test
  void trailingWhitespaceIsDroppedBeforeTheEllipsis() {
    Packed packed = charsOnly.pack(List.of("hello    world"), 9, null);

    assertThat(packed.items()).containsExactly(new Item(0, "hello" + ELLIPSIS, true));
  }

  @Test
  void aWordCutThatWouldLoseMoreThanHalfCutsInsideTheWordInstead() {
    Packed packed = charsOnly.pack(List.of("a supercalifragilisticexpialidocious day"), 20, null);

    assertThat(packed.items()).containsExactly(new Item(0, "a supercalifragilis" + ELLIPSIS, true));
  }

  @Test
  void textWithoutSpacesIsCutAtACodePoint() {
    Packed packed = charsOnly.pack(List.of("日本語のテキストです"), 5, null);

    assertThat(packed.items()).containsExactly(new Item(0, "日本語の" + ELLIPSIS, true));
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    // Each emoji is two chars; a 4-char budget leaves 3 for the prefix, which would split the
    // second emoji.
    Packed packed = charsOnly.pack(List.of("😀😀😀😀"), 4, null);

    assertThat(packed.items()).containsExactly(new Item(0, "😀" + ELLIPSIS, true));
  }

  @Test
  void truncationFitsTheTokenBudgetWithTheEllipsisCounted() {
    String best = "The quick brown fox jumps over the lazy dog";

    Packed packed = packer.pack(List.of(best), null, 5);

    // "The quick brown fox…" is 5 tokens in cl100k_base (the ellipsis is one).
    assertThat(packed.items()).containsExactly(new Item(0, "The quick brown fox" + ELLIPSIS, true));
    assertThat(CL100K.count(packed.items().get(0).content())).isEqualTo(5);
  }

  @Test
  void truncationFitsBothBudgets() {
    String best = "The quick brown fox jumps over the lazy dog";

    assertThat(packer.pack(List.of(best), 12, 5).items())
        .containsExactly(new Item(0, "The quick" + ELLIPSIS, true));
    assertThat(packer.pack(List.of(best), 40, 3).items())
        .containsExactly(new Item(0, "The quick" + ELLIPSIS, true));
  }

  @Test
  void nothingIsReturnedWhenOnlyTheEllipsisWouldFit() {
    assertThat(charsOnly.pack(List.of("hello world"), 1, null)).isEqualTo(new Packed(List.of(), 1));
    // The ellipsis alone is one token; with one more char it is two.
    assertThat(packer.pack(List.of("hello world"), null, 1)).isEqualTo(new Packed(List.of(), 1));
  }

  @Test
  void nothingIsReturnedWhenTheOnlyFittingPrefixIsWhitespace() {
    assertThat(charsOnly.pack(List.of("     abcdef"), 4, null)).isEqualTo(new Packed(List.of(), 1));
  }

  @Test
  void emptyInputPacksToNothing() {
    assertThat(packer.pack(List.of(), 10, 10)).isEqualTo(new Packed(List.of(), 0));
  }

  @Test
  void invalidArgumentsAreRejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> charsOnly.pack(List.of("a"), -1, null))
        .withMessageContaining("maxChars")
        .withMessageContaining("-1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> charsOnly.pack(List.of("a"), null, -3))
        .withMessageContaining("maxTokens");
    assertThatNullPointerException().isThrownBy(() -> charsOnly.pack(null, 1, 1));
    assertThatNullPointerException()
        .isThrownBy(() -> charsOnly.pack(Arrays.asList("a", null), null, null));
    assertThatNullPointerException()
        .isThrownBy(() -> charsOnly.pack(Arrays.asList("a", null), 0, null));
  }
}
