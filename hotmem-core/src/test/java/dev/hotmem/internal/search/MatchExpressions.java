package dev.hotmem.internal.search;

import java.util.ArrayList;
import java.util.List;

/** A strict reader of the only shape {@link FtsQuery#build} may produce. */
final class MatchExpressions {
  private static final String OR = " OR ";

  private MatchExpressions() {}

  /**
   * The unquoted terms of {@code expression}, which must be one or more non-empty FTS5 strings
   * ({@code "..."}, an embedded quote doubled) joined by {@code " OR "}, and nothing else.
   *
   * @throws AssertionError naming the offset if the expression has any other shape
   */
  static List<String> terms(String expression) {
    List<String> terms = new ArrayList<>();
    int i = 0;
    while (true) {
      expect(expression, i, '"');
      StringBuilder term = new StringBuilder();
      i++;
      while (true) {
        if (i >= expression.length()) {
          throw new AssertionError("unterminated string at the end of: " + abbreviate(expression));
        }
        char c = expression.charAt(i++);
        if (c != '"') {
          term.append(c);
        } else if (i < expression.length() && expression.charAt(i) == '"') {
          term.append('"');
          i++;
        } else {
          break;
        }
      }
      if (term.length() == 0) {
        throw new AssertionError("empty term before offset " + i + " in " + abbreviate(expression));
      }
      terms.add(term.toString());
      if (i == expression.length()) {
        return terms;
      }
      if (!expression.startsWith(OR, i)) {
        throw new AssertionError(
            "expected \" OR \" at offset " + i + " in " + abbreviate(expression));
      }
      i += OR.length();
    }
  }

  private static void expect(String expression, int i, char expected) {
    if (i >= expression.length() || expression.charAt(i) != expected) {
      throw new AssertionError(
          "expected '" + expected + "' at offset " + i + " in " + abbreviate(expression));
    }
  }

  private static String abbreviate(String expression) {
    return expression.length() <= 200 ? expression : expression.substring(0, 200) + "...";
  }
}
