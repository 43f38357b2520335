package dev.hotmem.internal.search;

import static dev.hotmem.internal.search.BudgetPacker.ELLIPSIS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.TokenEncoding;
import dev.hotmem.internal.search.BudgetPacker.Item;
import dev.hotmem.internal.search.BudgetPacker.Packed;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Invariants of {@link BudgetPacker} over random ranked contents (ASCII words, whitespace, emoji,
 * combining marks, CJK, special-token text, arbitrary code points) and random budgets, counted with
 * the real cl100k_base tokenizer. jqwik prints the seed of a failing run; rerun it with
 * {@code @Property(seed = "...")}.
 */
class BudgetPackerPropertyTest {
  private static final TokenCounter TOKENS = new TokenCounter(TokenEncoding.CL100K_BASE);
  private final BudgetPacker packer = new BudgetPacker(TOKENS);

  @Property(tries = 2000)
  void packingKeepsEveryRuleOfTheContract(
      @ForAll("rankedContents") List<String> contents,
      @ForAll("budget") Integer maxChars,
      @ForAll("budget") Integer maxTokens) {
    Packed packed = packer.pack(contents, maxChars, maxTokens);
    List<Item> items = packed.items();

    Statistics.label("outcome").collect(outcome(contents, maxChars, maxTokens, packed));
    Statistics.label("outcome")
        .coverage(
            coverage -> {
              // The generators must reach the rare branches, or this property proves little.
              coverage.check("truncated").percentage(p -> p >= 5.0);
              coverage.check("some skipped").percentage(p -> p >= 10.0);
              coverage.check("nothing fits, nothing returned").count(c -> c > 0);
            });

    assertThat(items.size() + packed.omitted()).isEqualTo(contents.size());
    assertThat(items.stream().mapToLong(item -> item.content().length()).sum())
        .isLessThanOrEqualTo(maxChars == null ? Long.MAX_VALUE : maxChars);
    assertThat(items.stream().mapToLong(item -> TOKENS.count(item.content())).sum())
        .isLessThanOrEqualTo(maxTokens == null ? Long.MAX_VALUE : maxTokens);
    for (int i = 1; i < items.size(); i++) {
      assertThat(items.get(i).index()).isGreaterThan(items.get(i - 1).index());
    }
    for (Item item : items) {
      assertThat(hasLoneSurrogate(item.content())).as("lone surrogate in %s", item).isFalse();
      if (!item.truncated()) {
        assertThat(item.content()).isSameAs(contents.get(item.index()));
      }
    }
    if (isZero(maxChars) || isZero(maxTokens)) {
      assertThat(items).isEmpty();
      return;
    }

    assertGreedy(contents, items, maxChars, maxTokens);
    if (items.stream().anyMatch(Item::truncated)) {
      assertTruncationOfBestRanked(contents, items, maxChars, maxTokens);
    } else if (items.isEmpty() && !contents.isEmpty()) {
      assertNoPrefixCouldHaveFit(contents.get(0), maxChars, maxTokens);
    }
  }

  @Property(tries = 300)
  void withoutBudgetsOrWithRoomyOnesEverythingIsReturnedWhole(
      @ForAll("rankedContents") List<String> contents) {
    long chars = contents.stream().mapToLong(String::length).sum();
    long tokens = contents.stream().mapToLong(TOKENS::count).sum();

    assertReturnedWhole(contents, packer.pack(contents, null, null));
    if (chars > 0) {
      // Zero budgets return nothing (see the contract property); here every budget is roomy.
      assertReturnedWhole(contents, packer.pack(contents, (int) chars, (int) tokens));
      assertReturnedWhole(contents, packer.pack(contents, (int) chars, null));
      assertReturnedWhole(contents, packer.pack(contents, null, (int) tokens));
    }
  }

  private static void assertReturnedWhole(List<String> contents, Packed packed) {
    assertThat(packed.omitted()).isZero();
    assertThat(packed.items()).extracting(Item::content).containsExactlyElementsOf(contents);
    assertThat(packed.items()).noneMatch(Item::truncated);
  }

  @Property(tries = 500)
  void budgetsHoldEvenForStringsWithLoneSurrogates(
      @ForAll("anyStrings") List<String> contents,
      @ForAll("budget") Integer maxChars,
      @ForAll("budget") Integer maxTokens) {
    Packed packed = packer.pack(contents, maxChars, maxTokens);

    assertThat(packed.items().stream().mapToLong(item -> item.content().length()).sum())
        .isLessThanOrEqualTo(maxChars == null ? Long.MAX_VALUE : maxChars);
    assertThat(packed.items().stream().mapToLong(item -> TOKENS.count(item.content())).sum())
        .isLessThanOrEqualTo(maxTokens == null ? Long.MAX_VALUE : maxTokens);
  }

  /**
   * Replays the greedy walk: every input that was not returned whole must have overflowed what was
   * left of a budget when its turn came.
   */
  private static void assertGreedy(
      List<String> contents, List<Item> items, Integer maxChars, Integer maxTokens) {
    long charsLeft = maxChars == null ? Long.MAX_VALUE : maxChars;
    long tokensLeft = maxTokens == null ? Long.MAX_VALUE : maxTokens;
    int next = 0;
    for (int i = 0; i < contents.size(); i++) {
      String content = contents.get(i);
      int tokens = TOKENS.count(content);
      boolean returnedWhole =
          next < items.size() && items.get(next).index() == i && !items.get(next).truncated();
      if (returnedWhole) {
        next++;
        charsLeft -= content.length();
        tokensLeft -= tokens;
      } else {
        assertThat(content.length() > charsLeft || tokens > tokensLeft)
            .as(
                "input %d (%d chars, %d tokens) was skipped with %d chars and %d tokens left",
                i, content.length(), tokens, charsLeft, tokensLeft)
            .isTrue();
      }
    }
  }

  private static void assertTruncationOfBestRanked(
      List<String> contents, List<Item> items, Integer maxChars, Integer maxTokens) {
    assertThat(items).hasSize(1);
    Item item = items.get(0);
    assertThat(item.index()).isZero();
    for (String content : contents) {
      assertThat(fits(content, maxChars, maxTokens))
          .as("truncated although %s fits whole", content)
          .isFalse();
    }
    String best = contents.get(0);
    assertThat(item.content()).endsWith(ELLIPSIS);
    String prefix = item.content().substring(0, item.content().length() - ELLIPSIS.length());
    assertThat(prefix).isNotBlank();
    assertThat(best).startsWith(prefix);
    assertThat(prefix.length()).isLessThan(best.length());
    if (maxTokens == null) {
      // Chars alone: the longest prefix that fits is known, and a word cut keeps at least half.
      int limit = Math.min(best.length() - 1, maxChars - ELLIPSIS.length());
      if (Character.isLowSurrogate(best.charAt(limit))) {
        limit--;
      }
      String longest = best.substring(0, limit).stripTrailing();
      assertThat(prefix.length() * 2).isGreaterThanOrEqualTo(longest.length());
      assertThat(
              prefix.equals(longest) || Character.isWhitespace(best.codePointAt(prefix.length())))
          .as("prefix \"%s\" is neither the longest nor cut at a word end", prefix)
          .isTrue();
    }
  }

  /** The shortest truncation the packer tries, one code point, must not have fit. */
  private static void assertNoPrefixCouldHaveFit(String best, Integer maxChars, Integer maxTokens) {
    if (best.isEmpty()) {
      return;
    }
    String firstCodePoint = best.substring(0, best.offsetByCodePoints(0, 1));
    if (firstCodePoint.isBlank() || firstCodePoint.length() == best.length()) {
      return;
    }
    assertThat(fits(firstCodePoint + ELLIPSIS, maxChars, maxTokens))
        .as("nothing returned although \"%s\" fits", firstCodePoint + ELLIPSIS)
        .isFalse();
  }

  private static boolean fits(String text, Integer maxChars, Integer maxTokens) {
    return (maxChars == null || text.length() <= maxChars)
        && (maxTokens == null || TOKENS.count(text) <= maxTokens);
  }

  private static String outcome(
      List<String> contents, Integer maxChars, Integer maxTokens, Packed packed) {
    if (contents.isEmpty()) {
      return "no input";
    }
    if (isZero(maxChars) || isZero(maxTokens)) {
      return "zero budget";
    }
    if (packed.items().stream().anyMatch(Item::truncated)) {
      return "truncated";
    }
    if (packed.items().isEmpty()) {
      return "nothing fits, nothing returned";
    }
    return packed.omitted() > 0 ? "some skipped" : "all returned";
  }

  private static boolean isZero(Integer budget) {
    return budget != null && budget == 0;
  }

  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  @Provide
  Arbitrary<List<String>> rankedContents() {
    Arbitrary<String> word =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> space = Arbitraries.of(" ", " ", " ", "  ", "\n", "\t");
    Arbitrary<String> unusual =
        Arbitraries.of(
            "😀", "👍🏽", "𝄞", "🇩🇪", "é", "e\u0301", "日本語", "…", "<|endoftext|>", "\u00a0");
    Arbitrary<String> codePoint =
        Arbitraries.integers()
            .between(0, Character.MAX_CODE_POINT)
            .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
            .map(Character::toString);
    Arbitrary<String> piece =
        Arbitraries.frequencyOf(
            Tuple.of(6, word), Tuple.of(5, space), Tuple.of(2, unusual), Tuple.of(1, codePoint));
    Arbitrary<String> content = piece.list().ofMaxSize(40).map(pieces -> String.join("", pieces));
    return content.list().ofMaxSize(10);
  }

  @Provide
  Arbitrary<List<String>> anyStrings() {
    return Arbitraries.strings().all().ofMaxLength(60).list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<Integer> budget() {
    return Arbitraries.oneOf(
            Arbitraries.integers().between(0, 12),
            Arbitraries.integers().between(0, 60),
            Arbitraries.integers().between(0, 600))
        .injectNull(0.3);
  }
}
