package dev.hotmem.internal.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * Packs ranked memory contents under the {@code max_chars} and {@code max_tokens} budgets of a
 * recall.
 *
 * <p>The contract, which the engine documents for {@code max_chars} / {@code max_tokens}:
 *
 * <ul>
 *   <li>Each budget is a hard cap on the <em>sum</em> over the returned contents: of {@link
 *       String#length()} for chars, of each content's own token count for tokens. It is never
 *       exceeded. A {@code null} budget is no limit.
 *   <li>Whole contents are taken greedily in rank order. A content that does not fit in what is
 *       left of a budget is skipped, and later, smaller ones may still fit.
 *   <li>Only when not one content fits whole is the best-ranked one (index 0) returned truncated: a
 *       proper prefix of it followed by {@value #ELLIPSIS}, fitting both budgets (the ellipsis
 *       counts). The cut falls before a whitespace (at a word end) when that keeps at least half of
 *       the longest prefix found to fit, otherwise at a code point boundary; it never splits a
 *       surrogate pair, and trailing whitespace is dropped before the ellipsis. If no prefix
 *       containing a non-whitespace character fits, nothing is returned.
 *   <li>A budget of 0 returns nothing, even for empty contents.
 *   <li>{@link Packed#omitted()} counts the inputs that were not returned at all. A truncated
 *       content is returned (it is one of the {@link Packed#items()}), so {@code items().size() +
 *       omitted() == rankedContents.size()} always holds.
 * </ul>
 *
 * <p>Thread-safe if its token counting function is (the {@link TokenCounter} one is).
 *
 * <h2>Implementation notes</h2>
 *
 * <p>Tokens are counted per content, never for the concatenation: a budget then means the same
 * thing whichever way the caller joins the memories, and each content is counted once. Token
 * counting only happens when {@code maxTokens} is given, and only for contents that passed the
 * cheaper char check, so the tokenizer's vocabulary is never loaded for char-only budgets. It stops
 * at what is left of the budget ({@link TokenCounter#countUpTo}), so a 100,000-char memory is not
 * encoded whole just to learn that it overflows a 500-token budget.
 *
 * <p>The truncation search counts candidate strings exactly as they would be returned (prefix,
 * trailing whitespace dropped, ellipsis), so every cut it returns was itself counted and found to
 * fit: the budget holds whatever the tokenizer does. Finding the <em>longest</em> fitting prefix is
 * harder, because BPE counts are not monotonic in prefix length: a word cut short often costs more
 * tokens than the whole word ("The quic…" is 4 tokens in cl100k_base, "The quick…" 3). Counts at
 * word ends are monotonic in practice, since the tokenizer's pre-split puts each word (with its
 * leading space) and the ellipsis in chunks of their own, and adding a chunk adds tokens. So the
 * search runs twice: over word ends to find the longest fitting whole-word prefix, then over the
 * code points of the next word for a longer cut inside it. Each run gallops (the 1st, 2nd, 4th,
 * 8th... position) to the first candidate that does not fit, then bisects. Non-monotonicity inside
 * a word can only make the in-word cut shorter than the best one, never over budget. Galloping
 * keeps the cost proportional to the answer rather than the content: a 20-token budget over a
 * 100,000-char memory encodes a few hundred chars, not 17 times 50,000 (encoding 100,000 chars
 * takes about 20 ms with jtokkit 1.1.0 on 2 cores).
 */
public final class BudgetPacker {
  /** Appended to a truncated content; one char and one token in cl100k_base and o200k_base. */
  public static final String ELLIPSIS = "…";

  private final BoundedTokenCount tokenCount;

  /**
   * @param tokenCounter counts the tokens of {@code maxTokens} budgets, not null; not called for
   *     char-only budgets
   */
  public BudgetPacker(TokenCounter tokenCounter) {
    this(Objects.requireNonNull(tokenCounter, "tokenCounter")::countUpTo);
  }

  BudgetPacker(BoundedTokenCount tokenCount) {
    this.tokenCount = Objects.requireNonNull(tokenCount, "tokenCount");
  }

  /**
   * Packs {@code rankedContents} under the budgets, following the contract in the class comment.
   *
   * @param rankedContents memory contents, best first; neither the list nor an element may be null
   * @param maxChars cap on the summed {@link String#length()} of the returned contents, {@code >=
   *     0}, or null for none
   * @param maxTokens cap on the summed token counts of the returned contents, {@code >= 0}, or null
   *     for none
   * @return the contents to return, in rank order, and how many were left out
   * @throws IllegalArgumentException if a budget is negative
   * @throws NullPointerException if the list or one of its elements is null
   */
  public Packed pack(List<String> rankedContents, Integer maxChars, Integer maxTokens) {
    Objects.requireNonNull(rankedContents, "rankedContents");
    requireNonNegative("maxChars", maxChars);
    requireNonNegative("maxTokens", maxTokens);
    int total = rankedContents.size();
    List<Item> items = new ArrayList<>();
    if (isZero(maxChars) || isZero(maxTokens)) {
      rankedContents.forEach(content -> Objects.requireNonNull(content, "content"));
      return new Packed(items, total);
    }

    long charsLeft = maxChars == null ? Long.MAX_VALUE : maxChars;
    int tokensLeft = maxTokens == null ? 0 : maxTokens; // read only when maxTokens is given
    for (int i = 0; i < total; i++) {
      String content = Objects.requireNonNull(rankedContents.get(i), "content");
      if (content.length() > charsLeft) {
        continue;
      }
      if (maxTokens != null) {
        int tokens = tokenCount.countUpTo(content, tokensLeft);
        if (tokens > tokensLeft) {
          continue;
        }
        tokensLeft -= tokens;
      }
      charsLeft -= content.length();
      items.add(Item.whole(i, content));
    }

    if (items.isEmpty() && total > 0) {
      String prefix = truncate(rankedContents.get(0), maxChars, maxTokens);
      if (prefix != null) {
        items.add(Item.truncated(0, prefix));
      }
    }
    return new Packed(items, total - items.size());
  }

  /**
   * The truncated form of {@code text} (a prefix followed by the ellipsis) that fits both budgets,
   * or null when none does. Called only when {@code text} itself does not fit.
   */
  private String truncate(String text, Integer maxChars, Integer maxTokens) {
    // A proper prefix: "whole text + ellipsis" would claim a truncation that did not happen.
    int charLimit = text.length() - 1;
    if (maxChars != null) {
      charLimit = Math.min(charLimit, maxChars - ELLIPSIS.length());
    }
    if (charLimit <= 0) {
      return null;
    }
    charLimit = codePointFloor(text, charLimit);
    int[] wordEnds = wordEnds(text, charLimit);

    int wordCut; // the longest fitting cut that ends a word, 0 if none
    int hardCut; // the longest fitting cut on any code point boundary found, >= wordCut
    if (maxTokens == null) {
      wordCut = wordEnds.length == 0 ? 0 : wordEnds[wordEnds.length - 1];
      hardCut = charLimit;
    } else {
      int lastWord = lastFitting(wordEnds.length, i -> wordEnds[i], text, maxTokens);
      int afterWord = lastWord < 0 ? 0 : wordEnds[lastWord];
      int nextWordEnd = lastWord + 1 < wordEnds.length ? wordEnds[lastWord + 1] : charLimit;
      int lastPartial =
          lastFitting(
              text.codePointCount(afterWord, nextWordEnd),
              i -> text.offsetByCodePoints(afterWord, i + 1),
              text,
              maxTokens);
      wordCut = afterWord;
      hardCut = lastPartial < 0 ? afterWord : text.offsetByCodePoints(afterWord, lastPartial + 1);
    }

    String atWord = wordCut > 0 ? withEllipsis(text, wordCut) : null;
    String inWord = withEllipsis(text, hardCut);
    // A word cut that throws away more than half of what fits (one long word, a URL, text without
    // spaces such as Chinese) costs the reader more than a cut word does.
    if (inWord == null
        || (atWord != null
            && 2 * (atWord.length() - ELLIPSIS.length()) >= inWord.length() - ELLIPSIS.length())) {
      return atWord;
    }
    return inWord;
  }

  /**
   * Of {@code count} ascending cut positions, the index of the last whose {@link #candidate} fits
   * {@code maxTokens}, found by galloping then bisecting (see the implementation notes); -1 when
   * the first does not fit.
   */
  private int lastFitting(int count, IntUnaryOperator position, String text, int maxTokens) {
    int fitting = -1;
    int failing = count;
    int probe = 0;
    while (probe < count) {
      if (tokenCount.countUpTo(candidate(text, position.applyAsInt(probe)), maxTokens)
          > maxTokens) {
        failing = probe;
        break;
      }
      fitting = probe;
      if (probe == count - 1) {
        break;
      }
      probe = (int) Math.min(2L * probe + 1, count - 1);
    }
    while (failing - fitting > 1) {
      int middle = (fitting + failing) >>> 1;
      if (tokenCount.countUpTo(candidate(text, position.applyAsInt(middle)), maxTokens)
          > maxTokens) {
        failing = middle;
      } else {
        fitting = middle;
      }
    }
    return fitting;
  }

  /**
   * {@code text[0, cut)} without trailing whitespace, then the ellipsis. Used during the search
   * even when the prefix is blank, so that the search sees the same string it would return.
   */
  private static String candidate(String text, int cut) {
    return text.substring(0, cut).stripTrailing() + ELLIPSIS;
  }

  /** Like {@link #candidate}, but null when the prefix holds no non-whitespace character. */
  private static String withEllipsis(String text, int cut) {
    String prefix = text.substring(0, cut).stripTrailing();
    return prefix.isEmpty() ? null : prefix + ELLIPSIS;
  }

  /**
   * The cut positions in {@code (0, charLimit]} that end a word: a non-whitespace code point
   * before, a whitespace one after. Ascending.
   */
  private static int[] wordEnds(String text, int charLimit) {
    int[] ends = new int[16];
    int count = 0;
    boolean previousIsWhitespace = true;
    for (int i = 0; i <= charLimit; ) {
      int codePoint = text.codePointAt(i);
      boolean isWhitespace = Character.isWhitespace(codePoint);
      if (isWhitespace && !previousIsWhitespace) {
        if (count == ends.length) {
          ends = Arrays.copyOf(ends, count * 2);
        }
        ends[count++] = i;
      }
      previousIsWhitespace = isWhitespace;
      i += Character.charCount(codePoint);
    }
    return Arrays.copyOf(ends, count);
  }

  /** {@code position}, moved back by one if it would split a surrogate pair. */
  private static int codePointFloor(String text, int position) {
    if (position > 0
        && position < text.length()
        && Character.isHighSurrogate(text.charAt(position - 1))
        && Character.isLowSurrogate(text.charAt(position))) {
      return position - 1;
    }
    return position;
  }

  private static boolean isZero(Integer budget) {
    return budget != null && budget == 0;
  }

  private static void requireNonNegative(String name, Integer budget) {
    if (budget != null && budget < 0) {
      throw new IllegalArgumentException(name + " must not be negative; found " + budget);
    }
  }

  /**
   * Counts tokens up to a limit, like {@link TokenCounter#countUpTo}: the exact count when it is at
   * most {@code limit}, otherwise any larger number. Lets a long memory be rejected against a small
   * budget without encoding all of it.
   */
  @FunctionalInterface
  interface BoundedTokenCount {
    int countUpTo(String text, int limit);
  }

  /**
   * The outcome of {@link #pack}.
   *
   * @param items the returned contents, in rank order (increasing {@link Item#index()})
   * @param omitted how many inputs were not returned at all; a truncated item is returned, so it is
   *     not counted here
   */
  public record Packed(List<Item> items, int omitted) {
    public Packed {
      items = List.copyOf(items);
    }
  }

  /**
   * One returned content.
   *
   * @param index the content's position in the ranked input list
   * @param content the content, whole; or, when {@code truncated}, a prefix of it followed by
   *     {@link #ELLIPSIS}
   * @param truncated whether {@code content} is a truncated prefix
   */
  public record Item(int index, String content, boolean truncated) {
    static Item whole(int index, String content) {
      return new Item(index, content, false);
    }

    static Item truncated(int index, String prefixWithEllipsis) {
      return new Item(index, prefixWithEllipsis, true);
    }
  }
}
