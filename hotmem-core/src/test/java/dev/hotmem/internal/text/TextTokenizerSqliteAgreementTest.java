package dev.hotmem.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.internal.search.FtsQuery;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link TextTokenizer} against the tokenizer it imitates: SQLite's own, as shipped in
 * sqlite-jdbc, through an {@code fts5vocab} table that lists the tokens SQLite indexed.
 */
class TextTokenizerSqliteAgreementTest {

  /**
   * Letters SQLite folds differently, all measured with sqlite-jdbc 3.54.1.0: SQLite keeps the
   * diacritics of ǡ ǣ ǯ ǽ ǿ (and their capitals), and its Unicode tables predate Greek Yot (U+037F)
   * and the Cyrillic letters U+0528-U+052F, so it does not lower-case them.
   */
  private static final IntPredicate KNOWN_DIFFERENCES =
      c ->
          (c >= 0x1E0 && c <= 0x1E3)
              || c == 0x1EE
              || c == 0x1EF
              || (c >= 0x1FC && c <= 0x1FF)
              || c == 0x37F
              || (c >= 0x528 && c <= 0x52F);

  private Connection connection;

  @BeforeEach
  void createTable() throws SQLException {
    assertThat(FtsQuery.TOKENIZER).startsWith("porter ");
    // Without the porter stemmer: TextTokenizer tokenizes, it does not stem.
    String tokenizer = FtsQuery.TOKENIZER.substring("porter ".length());
    connection = DriverManager.getConnection("jdbc:sqlite::memory:");
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE VIRTUAL TABLE t USING fts5(content, tokenize='" + tokenizer + "')");
      statement.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')");
    }
  }

  @AfterEach
  void closeTable() throws SQLException {
    connection.close();
  }

  @Test
  void agreesOnEveryLatinGreekAndCyrillicCharacterAndTheCombiningDiacritics() throws SQLException {
    IntStream codePoints =
        IntStream.concat(
                IntStream.rangeClosed(0x0001, 0x052F), IntStream.rangeClosed(0x1E00, 0x1EFF))
            .filter(c -> Character.getType(c) != Character.UNASSIGNED)
            .filter(KNOWN_DIFFERENCES.negate());

    assertThat(disagreements(codePoints)).isEmpty();
  }

  @Test
  void agreesOnAlmostEveryAssignedCharacterOfTheBasicMultilingualPlane() throws SQLException {
    IntStream codePoints =
        IntStream.rangeClosed(0x0001, 0xFFFF)
            .filter(c -> Character.getType(c) != Character.UNASSIGNED)
            .filter(c -> Character.getType(c) != Character.SURROGATE);

    Map<String, List<String>> disagreements = disagreements(codePoints);

    // 529 on JDK 17 (Unicode 13), nearly all characters added to Unicode after SQLite's tables.
    System.out.println(
        "TextTokenizer differs from SQLite on " + disagreements.size() + " BMP chars");
    assertThat(disagreements).hasSizeLessThan(1_000);
  }

  @Test
  void agreesOnSentencesInManyScripts() throws SQLException {
    List<String> sentences =
        List.of(
            "What did \"Caroline\" say about NEAR(painting*? She's 32 & lives at 4-B, Main St.",
            "L'été dernier, Amélie a mangé une crème brûlée à Paris.",
            Normalizer.normalize(
                "L'été dernier, Amélie a mangé une crème brûlée.", Normalizer.Form.NFD),
            "Größere Straßen führen über die Brücke nach Köln.",
            "El niño comió piña en Añón; ¿qué pasó?",
            "Tiếng Việt có nhiều dấu thanh điệu.",
            "İstanbul'da ılık bir gün; ŞİŞLİ'de çay içtik.",
            "Zażółć gęślą jaźń w Łodzi.",
            "Мой новый дом — в Санкт-Петербурге, ёлка у окна.",
            "Ο Σίσυφος ΚΥΛΟΥΣΕ την πέτρα.",
            "हिन्दी भाषा में लिखा गया पाठ",
            "اللغة العربية مَدْرَسَة",
            "日本語のテキストと漢字、カタカナ。",
            "中文文本没有空格",
            "Emoji 😀 between 🎨 words, and a ZWJ 👩‍👩‍👧 family",
            "Math 𝐀𝐁𝐂 and ½ ① Ⅻ numbers; private \uE000use",
            "tab\tnewline\ncarriage\rNUL\u0000end");
    Map<Integer, String> docs = new LinkedHashMap<>();
    for (int i = 0; i < sentences.size(); i++) {
      docs.put(i + 1, sentences.get(i));
    }

    Map<Integer, List<String>> sqlite = sqliteTokens(docs);

    for (Map.Entry<Integer, String> doc : docs.entrySet()) {
      assertThat(TextTokenizer.tokens(doc.getValue()))
          .as(doc.getValue())
          .containsExactlyElementsOf(sqlite.getOrDefault(doc.getKey(), List.of()));
    }
  }

  /** For each code point where the tokenizers differ on {@code q<c>q}: both token lists. */
  private Map<String, List<String>> disagreements(IntStream codePoints) throws SQLException {
    Map<Integer, String> docs = new LinkedHashMap<>();
    codePoints.forEach(c -> docs.put(c, "q" + Character.toString(c) + "q"));
    Map<Integer, List<String>> sqlite = sqliteTokens(docs);
    Map<String, List<String>> disagreements = new TreeMap<>();
    docs.forEach(
        (c, doc) -> {
          List<String> expected = sqlite.getOrDefault(c, List.of());
          List<String> actual = TextTokenizer.tokens(doc);
          if (!actual.equals(expected)) {
            disagreements.put(
                String.format("U+%04X", c), List.of("sqlite=" + expected, "ours=" + actual));
          }
        });
    return disagreements;
  }

  /** The tokens SQLite indexed for each document, keyed by rowid, in order. */
  private Map<Integer, List<String>> sqliteTokens(Map<Integer, String> docs) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement();
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO t(rowid, content) VALUES (?, ?)")) {
      statement.execute("DELETE FROM t");
      for (Map.Entry<Integer, String> doc : docs.entrySet()) {
        insert.setInt(1, doc.getKey());
        insert.setString(2, doc.getValue());
        insert.addBatch();
      }
      insert.executeBatch();
      connection.commit();
      Map<Integer, List<String>> tokens = new TreeMap<>();
      try (ResultSet rs = statement.executeQuery("SELECT doc, term FROM v ORDER BY doc, offset")) {
        while (rs.next()) {
          tokens.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
      return tokens;
    } finally {
      connection.setAutoCommit(true);
    }
  }
}
