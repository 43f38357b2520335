package dev.hotmem.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.internal.search.FtsQuery;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link PorterStemmer} against the stemmer it imitates: FTS5's {@code porter} tokenizer, as
 * shipped in sqlite-jdbc, through an {@code fts5vocab} table that lists the terms SQLite indexed.
 */
class PorterStemmerTest {

  /** Every suffix that any step's rules test for, and a few endings around them. */
  private static final List<String> SUFFIXES =
      List.of(
          "s", "es", "ies", "sses", "ss", "us", "ys", "ed", "eed", "ing", "at", "bl", "iz", "y",
          "ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli",
          "ization", "ation", "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti",
          "biliti", "logi", "icate", "ative", "alize", "iciti", "ical", "ful", "ness", "al", "ance",
          "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "sion", "tion",
          "ou", "ism", "ate", "iti", "ous", "ive", "ize", "e", "ll", "le", "ly", "li", "ied",
          "ying", "ating", "bling", "izing", "ated", "ously", "ably", "ally");

  private static final String VOWELS = "aeiouy";
  private static final String CONSONANTS = "bcdfghjklmnpqrstvwxyz";

  /** Common English words, in several inflections. */
  private static final String ENGLISH =
      "caresses ponies ties caress cats horses feed agreed plastered bled motoring sing "
          + "conflated troubled sized hopping tanned falling hissing fizzed failing filing happy "
          + "sky relational conditional rational valenci hesitanci digitizer conformabli "
          + "radicalli differentli vileli analogousli vietnamization predication operator "
          + "feudalism decisiveness hopefulness callousness formaliti sensitiviti sensibiliti "
          + "triplicate formative formalize electriciti electrical hopeful goodness revival "
          + "allowance inference airliner gyroscopic adjustable defensible irritant replacement "
          + "adjustment dependent adoption homologou communism activate angulariti homologous "
          + "effective bowdlerize probate rate cease controll roll running runs ran happiness "
          + "happily generalizations generously university universal universe organization "
          + "organizing organized organs national nationality nations connect connected "
          + "connecting connection connections connective connectivity memory memories "
          + "remembered remembering painting paintings painted painter caroline said says "
          + "saying lives living lived studies studying studied flies flying flew agreement "
          + "agreeable disagreed meeting meetings meets argued arguing argues ability abilities "
          + "possibly possible possibility responsibility responsible news yes bus gas this "
          + "was has his process processes processing processed stresses dresses classes "
          + "glasses analysis analyses crisis crises data database databases dying lying tying "
          + "eyes bye boys toys days played playing player enjoyed annoying sadly lovely "
          + "lonely early yearly yellow yesterday beyond young youth sydney typically typing "
          + "hyphenated rhythm rhythms sync syncing crying cried tries tried skies spied";

  /** Edge cases: short, long, digits, non-ASCII, a character whose last two bytes are equal. */
  private static final List<String> EDGE_CASES =
      List.of(
          "a",
          "s",
          "y",
          "ab",
          "as",
          "es",
          "is",
          "ss",
          "ed",
          "aed",
          "aing",
          "eds",
          "ies",
          "ses",
          "sss",
          "eed",
          "eeds",
          "ing",
          "ings",
          "yed",
          "yyed",
          "yying",
          "ayed",
          "ys",
          "yes",
          "yies",
          "bed",
          "abed",
          "ated",
          "bled",
          "ized",
          "ational",
          "tional",
          "ation",
          "alli",
          "ness",
          "ful",
          "fulness",
          "izer",
          "able",
          "ement",
          "ment",
          "ent",
          "ion",
          "sion",
          "tion",
          "ll",
          "all",
          "ell",
          "ill",
          "tell",
          "spell",
          "aee",
          "ee",
          "eee",
          "yy",
          "yyy",
          "yyyy",
          "3rd",
          "2nd",
          "1990s",
          "100",
          "1ed",
          "a1ing",
          "1ing",
          "12ness",
          "x2es",
          "RUNNING",
          "Caresses",
          "HAPPINESS",
          "straße",
          "straßes",
          "naïve",
          "naïveté",
          "Naïvetés",
          "日本語",
          "日本語s",
          "日本語ing",
          "ñandúes",
          "ñandú",
          "cañones",
          "señores",
          "λόγος",
          "λόγοςes",
          "ανθρωπος",
          "ανθρωπινος",
          "φιλοσοφία",
          "кошки",
          "работающие",
          "сервисing",
          "сервисes",
          "Ωing",
          "Ωed",
          "ωness",
          "xäed",
          "äed",
          "aäed",
          "aäing",
          "baäness",
          "ässes",
          "üies",
          "a丸ed",
          "a丸ing",
          "ba丸ed",
          "丸s",
          "a丸丸ed",
          "aßed",
          "aßing",
          "løbed",
          "hälles",
          "kañaled",
          "ſes");

  private static final long SEED = 20_260_512L;

  @Test
  void agreesWithSqliteOnTensOfThousandsOfWords() throws SQLException {
    List<String> words = vocabulary();
    List<String> tokens = new ArrayList<>(words.size());
    List<String> notOneToken = new ArrayList<>();
    for (String word : words) {
      List<String> t = TextTokenizer.tokens(word);
      if (t.size() != 1) {
        notOneToken.add(word + " -> " + t);
      }
      tokens.add(t.isEmpty() ? "" : t.get(0));
    }
    assertThat(notOneToken).as("words that are not exactly one token").isEmpty();

    Map<Integer, List<byte[]>> sqlite = sqliteTerms(words);

    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      byte[] token = tokens.get(i).getBytes(StandardCharsets.UTF_8);
      byte[] buf = Arrays.copyOf(token, token.length);
      int length = PorterStemmer.stem(buf, buf.length);
      byte[] ours = Arrays.copyOf(buf, length);
      List<byte[]> theirs = sqlite.getOrDefault(i, List.of());
      if (theirs.size() != 1 || !Arrays.equals(theirs.get(0), ours)) {
        disagreements.add(
            words.get(i)
                + ": token="
                + show(token)
                + " sqlite="
                + theirs.stream().map(PorterStemmerTest::show).toList()
                + " ours="
                + show(ours));
      }
    }
    assertThat(disagreements)
        .as("%d of %d words stem differently", disagreements.size(), words.size())
        .isEmpty();
  }

  @Test
  void stemsCommonWordsAsFts5Does() {
    // Each expected value is what sqlite-jdbc's FTS5 indexed for the word.
    assertThat(PorterStemmer.stemKey("caresses")).isEqualTo("caress");
    assertThat(PorterStemmer.stemKey("ponies")).isEqualTo("poni");
    assertThat(PorterStemmer.stemKey("ties")).isEqualTo("ti");
    assertThat(PorterStemmer.stemKey("cats")).isEqualTo("cat");
    assertThat(PorterStemmer.stemKey("running")).isEqualTo("run");
    assertThat(PorterStemmer.stemKey("hopping")).isEqualTo("hop");
    assertThat(PorterStemmer.stemKey("filing")).isEqualTo("file");
    assertThat(PorterStemmer.stemKey("happiness")).isEqualTo("happi");
    assertThat(PorterStemmer.stemKey("relational")).isEqualTo("relat");
    assertThat(PorterStemmer.stemKey("generalizations")).isEqualTo("gener");
    assertThat(PorterStemmer.stemKey("connections")).isEqualTo("connect");
    assertThat(PorterStemmer.stemKey("painting")).isEqualTo("paint");
  }

  @Test
  void keepsTheQuirksOfFts5() {
    // Each expected value is what sqlite-jdbc's FTS5 indexed for the word.
    // The first matching suffix decides: "eed" with m = 0 is kept, not tried as "ed".
    assertThat(PorterStemmer.stemKey("feed")).isEqualTo("feed");
    // Step 1a drops "es" only after "i" or "ss".
    assertThat(PorterStemmer.stemKey("ies")).isEqualTo("ie");
    // A token can shrink to one byte.
    assertThat(PorterStemmer.stemKey("aed")).isEqualTo("a");
    // Tokens shorter than 3 bytes pass through.
    assertThat(PorterStemmer.stemKey("as")).isEqualTo("as");
    // A suffix must be shorter than the token: "ational" is "a" + "tional" (m = 0), then "al" goes.
    assertThat(PorterStemmer.stemKey("ational")).isEqualTo("ation");
    // (*v*) counts a y after the first byte as a vowel, the double-consonant test does not.
    assertThat(PorterStemmer.stemKey("yyed")).isEqualTo("y");
    // Bytes of non-ASCII letters are consonants, so "ing" after one has no vowel before it.
    assertThat(PorterStemmer.stemText("ωing")).isEqualTo("ωing");
    // U+4E38 is E4 B8 B8 in UTF-8: the last two bytes make a double consonant; one is dropped.
    assertThat(PorterStemmer.stemKey("a丸ed")).isEqualTo("a\u00E4\u00B8");
  }

  @Test
  void stemsTokensOfUpTo64BytesAndPassesLongerOnesThrough() {
    // Each expected value is what sqlite-jdbc's FTS5 indexed for the word.
    String sixtyFour = "ba".repeat(28) + "bational";
    assertThat(PorterStemmer.stemKey(sixtyFour)).isEqualTo("ba".repeat(28) + "b");
    assertThat(PorterStemmer.stemKey("a" + sixtyFour)).isEqualTo("a" + sixtyFour);
  }

  @Test
  void stemsInPlaceWithinALargerBuffer() {
    byte[] buf = "runningXYZ".getBytes(StandardCharsets.US_ASCII);
    int length = PorterStemmer.stem(buf, 7);
    assertThat(new String(buf, 0, length, StandardCharsets.US_ASCII)).isEqualTo("run");
    assertThat(new String(buf, 7, 3, StandardCharsets.US_ASCII)).isEqualTo("XYZ");
  }

  /** The words to check, each one unicode61 token, deterministic and without duplicates. */
  static List<String> vocabulary() {
    Set<String> words = new LinkedHashSet<>();
    words.addAll(EDGE_CASES);
    words.addAll(Arrays.asList(ENGLISH.split(" ")));
    words.addAll(SUFFIXES);
    addEdgeLengths(words);

    // Every string of up to 4 letters over an alphabet that reaches most step-1 rules.
    String small = "aeysdnglt";
    List<String> shortWords = List.of("");
    for (int length = 1; length <= 4; length++) {
      List<String> longer = new ArrayList<>();
      for (String w : shortWords) {
        for (char c : small.toCharArray()) {
          longer.add(w + c);
        }
      }
      words.addAll(longer);
      shortWords = longer;
    }

    Random random = new Random(SEED);
    List<String> shortStems = List.of("", "a", "b", "y", "ab", "by", "ya", "tr", "bat", "yy");
    for (String suffix : SUFFIXES) {
      for (String stem : shortStems) {
        words.add(stem + suffix);
      }
    }
    for (String first : SUFFIXES) {
      for (String second : SUFFIXES) {
        words.add(randomStem(random, 1 + random.nextInt(6)) + first + second);
      }
    }
    for (int i = 0; i < 10_000; i++) {
      words.add(randomStem(random, random.nextInt(9)) + randomSuffix(random));
    }
    for (int i = 0; i < 3_000; i++) {
      words.add(
          randomStem(random, random.nextInt(7))
              + randomSuffix(random)
              + randomSuffix(random)
              + randomSuffix(random));
    }
    for (int i = 0; i < 2_000; i++) {
      words.add(randomStem(random, 3 + random.nextInt(10)));
    }
    words.remove("");
    return new ArrayList<>(words);
  }

  /** Words of 1 to 4 and of 62 to 67 bytes, ASCII or ending in two-byte characters. */
  private static void addEdgeLengths(Set<String> words) {
    for (String suffix : List.of("", "s", "es", "ies", "ing", "ed", "ness", "ational", "ll")) {
      for (int bytes : new int[] {1, 2, 3, 4, 62, 63, 64, 65, 66, 67}) {
        int stemLength = bytes - suffix.length();
        if (stemLength >= 0) {
          words.add("ba".repeat(40).substring(0, stemLength) + suffix);
          words.add("y".repeat(stemLength) + suffix);
        }
      }
    }
    for (int ascii = 58; ascii <= 66; ascii++) {
      words.add("x".repeat(ascii) + "ä");
      words.add("ab".repeat(33).substring(0, ascii) + "ä" + "s");
    }
    for (int twoByte = 29; twoByte <= 33; twoByte++) {
      words.add("ä".repeat(twoByte) + "ing");
      words.add("a" + "ä".repeat(twoByte) + "ed");
    }
  }

  private static String randomStem(Random random, int length) {
    StringBuilder stem = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      String letters = random.nextInt(100) < 45 ? VOWELS : CONSONANTS;
      stem.append(letters.charAt(random.nextInt(letters.length())));
    }
    return stem.toString();
  }

  private static String randomSuffix(Random random) {
    return SUFFIXES.get(random.nextInt(SUFFIXES.size()));
  }

  /** The terms FTS5's porter tokenizer indexed for each word, keyed by the word's index. */
  private static Map<Integer, List<byte[]>> sqliteTerms(List<String> words) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='" + FtsQuery.TOKENIZER + "')");
      statement.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')");
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO t(rowid, x) VALUES (?, ?)")) {
        for (int i = 0; i < words.size(); i++) {
          insert.setInt(1, i);
          insert.setString(2, words.get(i));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      connection.commit();
      Map<Integer, List<byte[]>> terms = new HashMap<>();
      try (ResultSet rs = statement.executeQuery("SELECT doc, term FROM v")) {
        while (rs.next()) {
          terms.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(rs.getBytes(2));
        }
      }
      return terms;
    }
  }

  /** The bytes as text, with each non-ASCII byte as {@code \xNN}. */
  private static String show(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      if (b >= 0x20 && b < 0x7F) {
        text.append((char) b);
      } else {
        text.append(String.format("\\x%02X", b & 0xFF));
      }
    }
    return '"' + text.toString() + '"';
  }
}
