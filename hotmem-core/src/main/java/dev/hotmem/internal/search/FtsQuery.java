package dev.hotmem.internal.search;

import dev.hotmem.HotMemException.InvalidRequest;
import dev.hotmem.internal.text.StopWords;
import dev.hotmem.internal.text.TextTokenizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one place where an FTS5 {@code MATCH} expression is built from user text. Nothing else in
 * HotMem may put user text into a {@code MATCH} argument.
 *
 * <p>User text is never parsed as FTS5 query syntax: it is tokenized with {@link TextTokenizer}
 * (which mirrors the table's {@link #TOKENIZER}), and every surviving token becomes a quoted FTS5
 * string, the terms joined by {@code OR}. Operators ({@code AND}, {@code OR}, {@code NOT}, {@code
 * NEAR(}), prefix stars, carets, column filters ({@code col:}), minus signs, parentheses and quotes
 * in the user text either vanish (they are not token characters) or become plain quoted words.
 *
 * <p>Ranking is left to FTS5's bm25: an {@code OR} of terms finds every row with any of the words
 * and ranks rows that contain more of them, and rarer ones, higher.
 *
 * <p>Thread-safe and stateless.
 *
 * <h2>Implementation notes</h2>
 *
 * <ul>
 *   <li>Stop words are dropped so that {@code what did Caroline say} searches {@code caroline} and
 *       {@code say}; a query made only of stop words ({@code who is it}) keeps them, because
 *       searching for something beats searching for nothing.
 *   <li>At most {@link #MAX_TERMS} distinct terms, the first ones in the text, are kept: the cost
 *       of an FTS5 query grows with its terms, and a 100 KB query must not become a 20,000-term
 *       expression.
 *   <li>A quoted FTS5 string may contain any character but {@code "}, which is doubled. Tokens
 *       never contain {@code "} (it is not a token character); the doubling is there so that a
 *       future change to the tokenizer cannot open an injection.
 *   <li>A term that SQLite's tokenizer reduces to nothing (a character the JDK calls a letter but
 *       SQLite's older Unicode tables do not) is an empty phrase, which FTS5 accepts and which
 *       matches no row.
 * </ul>
 */
public final class FtsQuery {

  /**
   * The FTS5 tokenizer that {@link #build} mirrors. Every FTS5 table searched with {@link #build}'s
   * expressions must be created with {@code tokenize='porter unicode61 remove_diacritics 2'}.
   */
  public static final String TOKENIZER = "porter unicode61 remove_diacritics 2";

  /** The most terms an expression has; further distinct words of the user text are ignored. */
  public static final int MAX_TERMS = 64;

  private static final String OR = " OR ";

  private FtsQuery() {}

  /**
   * The FTS5 {@code MATCH} expression for {@code userText}: its distinct words, lower case, in
   * first-occurrence order, without stop words (unless every word is one), at most {@link
   * #MAX_TERMS}, each in double quotes, joined by {@code " OR "}; for example {@code "caroline" OR
   * "painting"}. Bind it as a parameter; never concatenate it into SQL.
   *
   * @param userText any text; every string is safe, including empty, whitespace-only, unpaired
   *     surrogates, NUL and FTS5 syntax
   * @return the expression, or empty when the text has no words at all (punctuation, emoji, blank)
   * @throws InvalidRequest (field {@code query}) if {@code userText} is null
   */
  public static Optional<String> build(String userText) {
    List<String> chosen = terms(userText);
    return chosen.isEmpty() ? Optional.empty() : Optional.of(or(chosen));
  }

  /**
   * The search terms of {@code userText}, as {@link #build} chooses them: distinct, lower case, in
   * first-occurrence order, stop words dropped unless every word is one, at most {@link
   * #MAX_TERMS}.
   *
   * @throws InvalidRequest (field {@code query}) if {@code userText} is null
   */
  public static List<String> terms(String userText) {
    if (userText == null) {
      throw new InvalidRequest("query", "must not be null");
    }
    Set<String> terms = new LinkedHashSet<>();
    Set<String> stopTerms = new LinkedHashSet<>();
    TextTokenizer.forEachToken(
        userText,
        token -> {
          if (terms.size() == MAX_TERMS) {
            return;
          }
          String term = token.toString();
          if (!StopWords.contains(term)) {
            terms.add(term);
          } else if (terms.isEmpty() && stopTerms.size() < MAX_TERMS) {
            stopTerms.add(term);
          }
        });
    return List.copyOf(terms.isEmpty() ? stopTerms : terms);
  }

  /**
   * The expression matching any of {@code terms} (as returned by {@link #terms}): each quoted,
   * joined by {@code " OR "}.
   *
   * @throws IllegalArgumentException if {@code terms} is empty
   */
  public static String or(List<String> terms) {
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("no terms");
    }
    StringBuilder expression = new StringBuilder();
    for (String term : terms) {
      if (expression.length() > 0) {
        expression.append(OR);
      }
      expression.append(quote(term));
    }
    return expression.toString();
  }

  /** {@code term} as an FTS5 string: in double quotes, each embedded double quote doubled. */
  static String quote(String term) {
    return '"' + term.replace("\"", "\"\"") + '"';
  }
}
