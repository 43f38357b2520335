package dev.hotmem.internal.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits text into lower-case tokens the way SQLite FTS5's {@code unicode61 remove_diacritics 2}
 * tokenizer does, so that a term taken from a user's query is the term FTS5 indexed.
 *
 * <p>A token is a maximal run of token characters: letters (Unicode categories L*), digits and
 * other numbers (N*) and private-use characters (Co). Everything else separates tokens. Each
 * character is case-folded on its own (locale-independent), and Latin letters lose their
 * diacritics: {@code Café} becomes {@code cafe}, {@code İstanbul} becomes {@code istanbul}.
 *
 * <p>Thread-safe and stateless. Never throws for any input, including unpaired surrogates and NUL
 * (both separate tokens).
 *
 * <h2>Implementation notes</h2>
 *
 * <p>Fidelity to SQLite matters more than textbook normalisation: FTS5 re-tokenizes every quoted
 * query term with its own tokenizer, so a term we fold differently from SQLite silently matches
 * nothing. The rules below were checked code point by code point against the tokenizer of
 * sqlite-jdbc 3.54.1.0; {@code TextTokenizerSqliteAgreementTest} keeps checking them.
 *
 * <ul>
 *   <li>Diacritics are removed from Latin letters only (by taking the first character of the
 *       letter's canonical decomposition, NFD). SQLite leaves Greek {@code ά} and Cyrillic {@code
 *       й} alone; stripping every combining mark after NFD, as a generic "remove accents" does,
 *       would turn {@code й} into {@code и} and lose every Russian word that contains it.
 *   <li>Combining marks are separators, except the 25 combining diacritics SQLite's {@code
 *       sqlite3Fts5UnicodeIsdiacritic} recognises (grave, acute, circumflex, tilde, macron, breve,
 *       dots, ring, caron, cedilla, ogonek, ...), which belong to the token but add nothing to it:
 *       {@code cafe\u0301} is {@code cafe}. So decomposed Latin text tokenizes like composed text.
 *   <li>Case is folded per code point, as SQLite does, not with {@link String#toLowerCase}, which
 *       is context sensitive (a final Greek sigma) and expands {@code İ} into two characters. The
 *       fold is the lower case of the upper case, which, like SQLite's, also maps the lower-case
 *       variants {@code µ ſ ς} to {@code μ s σ}; dotless {@code ı} is kept, as SQLite keeps it.
 *   <li>Known remaining differences: ǡ ǣ ǯ ǽ ǿ, whose diacritics SQLite keeps, and characters that
 *       the JDK's Unicode version and SQLite's tables classify differently (mostly code points one
 *       of them considers unassigned). Harmless for safety: every term reaches SQLite as a quoted
 *       string.
 * </ul>
 *
 * <p>Speed: one precomputed {@code char} per BMP code point (128 KiB, built at class initialisation
 * in about 40 ms, measured cold on JDK 17) turns the per-character work into one array load, and
 * tokens are handed out in one reused {@link StringBuilder}, so walking the tokens of a text
 * allocates nothing per token.
 */
public final class TextTokenizer {

  /** Receives the tokens of a text one at a time, in order. */
  @FunctionalInterface
  public interface TokenConsumer {
    /**
     * Called once per token.
     *
     * @param token the token, non-empty and lower-case; a view of a buffer that is reused for the
     *     next token, valid only during this call. Copy it ({@code toString()}) to keep it; do not
     *     modify it.
     */
    void accept(CharSequence token);
  }

  /** {@link #FOLD} entry of a character that ends the current token. */
  private static final char SEPARATOR = '\uFFFF';

  /** {@link #FOLD} entry of a diacritic that belongs to the current token but adds nothing. */
  private static final char IGNORED = '\uFFFE';

  /**
   * For each BMP code point: the character it contributes to a token, or {@link #SEPARATOR}, or
   * {@link #IGNORED}. U+FFFE and U+FFFF are noncharacters (category Cn), so they are separators
   * themselves and cannot be confused with a folded character.
   */
  private static final char[] FOLD = buildFoldTable();

  private TextTokenizer() {}

  /**
   * Calls {@code consumer} with each token of {@code text}, in order.
   *
   * @param text any text, not null
   * @param consumer receives each token; see {@link TokenConsumer#accept} for its lifetime
   * @throws NullPointerException if an argument is null
   */
  public static void forEachToken(CharSequence text, TokenConsumer consumer) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(consumer, "consumer");
    StringBuilder token = new StringBuilder(32);
    int length = text.length();
    int i = 0;
    while (i < length) {
      char c = text.charAt(i++);
      if (Character.isHighSurrogate(c) && i < length && Character.isLowSurrogate(text.charAt(i))) {
        int codePoint = Character.toCodePoint(c, text.charAt(i++));
        if (isTokenCharacter(Character.getType(codePoint))) {
          token.appendCodePoint(foldCase(codePoint));
          continue;
        }
      } else {
        char folded = FOLD[c];
        if (folded == IGNORED) {
          continue;
        }
        if (folded != SEPARATOR) {
          token.append(folded);
          continue;
        }
      }
      if (token.length() > 0) {
        consumer.accept(token);
        token.setLength(0);
      }
    }
    if (token.length() > 0) {
      consumer.accept(token);
    }
  }

  /**
   * The tokens of {@code text}, in order, duplicates kept.
   *
   * @param text any text, not null
   * @return a new modifiable list of non-empty lower-case tokens; empty if the text has none
   * @throws NullPointerException if {@code text} is null
   */
  public static List<String> tokens(CharSequence text) {
    List<String> tokens = new ArrayList<>();
    forEachToken(text, token -> tokens.add(token.toString()));
    return tokens;
  }

  private static boolean isTokenCharacter(int type) {
    switch (type) {
      case Character.UPPERCASE_LETTER:
      case Character.LOWERCASE_LETTER:
      case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
      case Character.PRIVATE_USE:
        return true;
      default:
        return false;
    }
  }

  /**
   * Whether SQLite's unicode61 tokenizer treats {@code c} as a removable diacritic. The two masks
   * are the set of {@code sqlite3Fts5UnicodeIsdiacritic}: bit {@code n} of the first covers U+0300
   * + n, of the second U+0320 + n.
   */
  private static boolean isSqliteDiacritic(char c) {
    if (c < 0x300 || c > 0x33F) {
      return false;
    }
    int mask = c < 0x320 ? 0x08029FDF : 0x000361F8;
    return (mask & (1 << (c & 0x1F))) != 0;
  }

  /**
   * Simple case folding, as SQLite does it: the lower case of the upper case, which also folds the
   * lower-case variants {@code µ}, {@code ſ} and {@code ς} to {@code μ}, {@code s} and {@code σ}.
   * Dotless {@code ı} is the one letter case folding keeps but this formula would turn into {@code
   * i}.
   */
  private static int foldCase(int codePoint) {
    return codePoint == 'ı' ? codePoint : Character.toLowerCase(Character.toUpperCase(codePoint));
  }

  private static char foldCase(char c) {
    return (char) foldCase((int) c);
  }

  private static char[] buildFoldTable() {
    char[] table = new char[0x10000];
    for (int c = 0; c < table.length; c++) {
      table[c] = fold((char) c);
    }
    return table;
  }

  private static char fold(char c) {
    if (isSqliteDiacritic(c)) {
      return IGNORED;
    }
    if (!isTokenCharacter(Character.getType(c))) {
      return SEPARATOR;
    }
    char lower = foldCase(c);
    if (lower < 0xC0 || Character.UnicodeScript.of(lower) != Character.UnicodeScript.LATIN) {
      return lower;
    }
    String decomposed = Normalizer.normalize(String.valueOf(lower), Normalizer.Form.NFD);
    char base = decomposed.charAt(0);
    return Character.UnicodeScript.of(base) == Character.UnicodeScript.LATIN ? base : lower;
  }
}
