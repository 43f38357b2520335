package dev.hotmem.internal.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.HotMemException.InvalidRequest;
import dev.hotmem.internal.text.TextTokenizer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FtsQueryTest {
  private static Fts5TestTable table;
  private static long caroline;
  private static long cafe;
  private static long melanie;
  private static long syntax;

  @BeforeAll
  static void createTable() throws SQLException {
    table = new Fts5TestTable();
    caroline = table.insert("Caroline: I love painting", "caroline");
    cafe = table.insert("We met at the café on Main Street", "places");
    melanie = table.insert("Melanie ran a charity race for mental health", "melanie");
    syntax = table.insert("who is it AND OR NOT near", "syntax");
  }

  @AfterAll
  static void dropTable() throws SQLException {
    table.close();
  }

  static Stream<Arguments> hostileInputs() {
    Random random = new Random(20_240_601L);
    StringBuilder randomText = new StringBuilder();
    while (randomText.length() < 100_000) {
      randomText.append((char) random.nextInt(Character.MAX_VALUE + 1));
    }
    return Stream.of(
        Arguments.of("double quote", "\""),
        Arguments.of("quotes", "\"Caroline\" said \"\"\"paint"),
        Arguments.of("AND", "AND"),
        Arguments.of("OR", "OR"),
        Arguments.of("NOT", "NOT"),
        Arguments.of("operators between words", "painting AND NOT Caroline OR race"),
        Arguments.of("NEAR group", "NEAR(a b)"),
        Arguments.of("NEAR with distance", "NEAR(painting race, 2)"),
        Arguments.of("star", "*"),
        Arguments.of("prefix star", "paint*"),
        Arguments.of("minus", "-x"),
        Arguments.of("column filter", "a:b"),
        Arguments.of("column filter on a real column", "identifier:caroline"),
        Arguments.of("column set filter", "{content identifier}: painting"),
        Arguments.of("open parentheses", "((("),
        Arguments.of("close parenthesis", ")"),
        Arguments.of("caret", "^"),
        Arguments.of("initial token caret", "^painting"),
        Arguments.of("plus", "painting + race"),
        Arguments.of("emoji", "\uD83D\uDE00\uD83C\uDFA8"),
        Arguments.of("empty string", ""),
        Arguments.of("whitespace", " \t\r\n\u00A0\u2003"),
        Arguments.of("NUL", "\u0000"),
        Arguments.of("NUL inside a word", "pain\u0000ting"),
        Arguments.of("lone high surrogate", "paint\uD800ing"),
        Arguments.of("lone low surrogate", "\uDC00race"),
        Arguments.of("SQL", "'; DROP TABLE t; --"),
        Arguments.of("a letter to the JDK but a separator to SQLite", "\u19B0 \u19B1"),
        Arguments.of("100 KB random text", randomText.toString()),
        Arguments.of("100 KB of one repeated word", "painting ".repeat(100_000 / 9)),
        Arguments.of("100 KB of one long word", "x".repeat(100_000)),
        Arguments.of(
            "more words than MAX_TERMS",
            IntStream.range(0, 500).mapToObj(i -> "w" + i).collect(Collectors.joining(" "))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileInputs")
  void hostileInputIsEitherNothingOrQuotedTermsThatSqliteRuns(String name, String userText)
      throws SQLException {
    Optional<String> expression = FtsQuery.build(userText);

    List<String> tokens = TextTokenizer.tokens(userText);
    assertThat(expression.isPresent()).isEqualTo(!tokens.isEmpty());
    if (expression.isPresent()) {
      List<String> terms = MatchExpressions.terms(expression.get());
      assertThat(terms).hasSizeBetween(1, FtsQuery.MAX_TERMS).doesNotHaveDuplicates();
      assertThat(tokens).containsAll(terms);
      table.match(expression.get());
    }
  }

  @Test
  void questionWithQuotesAndOperatorsFindsTheRowWithItsWords() throws SQLException {
    Optional<String> expression = FtsQuery.build("what did \"Caroline\" say about NEAR(painting*");

    assertThat(expression).hasValue("\"caroline\" OR \"say\" OR \"painting\"");
    assertThat(table.match(expression.orElseThrow())).first().isEqualTo(caroline);
  }

  @Test
  void stemmingFindsOtherFormsOfAWord() throws SQLException {
    assertThat(table.match(FtsQuery.build("paints").orElseThrow())).containsExactly(caroline);
    assertThat(table.match(FtsQuery.build("racing").orElseThrow())).containsExactly(melanie);
  }

  @Test
  void diacriticsAndCaseDoNotMatter() throws SQLException {
    assertThat(table.match(FtsQuery.build("cafe").orElseThrow())).containsExactly(cafe);
    assertThat(table.match(FtsQuery.build("CAFÉ").orElseThrow())).containsExactly(cafe);
    assertThat(table.match(FtsQuery.build("cafe\u0301").orElseThrow())).containsExactly(cafe);
  }

  @Test
  void operatorWordsAreSearchedAsPlainWords() throws SQLException {
    Optional<String> expression = FtsQuery.build("AND OR NOT");

    assertThat(expression).hasValue("\"and\" OR \"or\" OR \"not\"");
    assertThat(table.match(expression.orElseThrow())).containsExactly(syntax);
  }

  @Test
  void stopWordsAreDroppedUnlessTheyAreAllThereIs() {
    assertThat(FtsQuery.build("who is Melanie")).hasValue("\"melanie\"");
    assertThat(FtsQuery.build("Who is it?")).hasValue("\"who\" OR \"is\" OR \"it\"");
  }

  @Test
  void stopWordOnlyQueryFindsRowsWithThoseWords() throws SQLException {
    assertThat(table.match(FtsQuery.build("who is it").orElseThrow())).containsExactly(syntax);
  }

  @Test
  void duplicatesAreDroppedKeepingFirstOccurrenceOrder() {
    assertThat(FtsQuery.build("race paint Race PAINT café cafe"))
        .hasValue("\"race\" OR \"paint\" OR \"cafe\"");
  }

  @Test
  void keepsTheFirstMaxTermsDistinctWords() {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < FtsQuery.MAX_TERMS + 10; i++) {
      words.add("w" + i);
    }

    List<String> terms =
        MatchExpressions.terms(FtsQuery.build(String.join(" ", words)).orElseThrow());

    assertThat(terms).containsExactlyElementsOf(words.subList(0, FtsQuery.MAX_TERMS));
  }

  @Test
  void stopWordsDoNotUseUpTheTermBudget() {
    String text = "the a of ".repeat(100) + "painting";

    assertThat(FtsQuery.build(text)).hasValue("\"painting\"");
  }

  @Test
  void textWithoutWordsGivesNoExpression() {
    assertThat(FtsQuery.build("")).isEmpty();
    assertThat(FtsQuery.build("   ")).isEmpty();
    assertThat(FtsQuery.build("?!*()\":^-")).isEmpty();
    assertThat(FtsQuery.build("\uD83D\uDE00\uD83D\uDE80")).isEmpty();
  }

  @Test
  void nullIsAnInvalidQuery() {
    assertThatThrownBy(() -> FtsQuery.build(null))
        .isInstanceOfSatisfying(
            InvalidRequest.class, e -> assertThat(e.field()).isEqualTo("query"));
  }

  @Test
  void quoteDoublesEmbeddedQuotesAndSqliteReadsThemAsOneTerm() throws SQLException {
    String quoted = FtsQuery.quote("say \"hi\"");

    assertThat(quoted).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(MatchExpressions.terms(quoted)).containsExactly("say \"hi\"");
    table.match(quoted);
  }
}
