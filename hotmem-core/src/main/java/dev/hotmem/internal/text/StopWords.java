package dev.hotmem.internal.text;

import java.util.Set;

/**
 * English stop words: the articles, pronouns, auxiliaries, prepositions, conjunctions and question
 * words that carry little meaning on their own. Keyword search and the hash embedder skip them so
 * that {@code what did Caroline say about painting} is searched by {@code caroline}, {@code say}
 * and {@code painting}.
 *
 * <p>The entries are in {@link TextTokenizer}'s form: lower case, no apostrophes. Contractions
 * therefore appear split as the tokenizer splits them: {@code don't} is the two tokens {@code don}
 * and {@code t}, both listed.
 *
 * <p>Left out on purpose, although common lists have them: {@code may} and {@code won}, which are
 * also a month and the past of "win" and matter in questions such as {@code who won in May}.
 *
 * <p>Thread-safe and immutable.
 */
public final class StopWords {

  private static final Set<String> WORDS =
      words(
          // articles and determiners
          "a an the this that these those each every either neither any some such no own same "
              + "other another",
          // personal, possessive and reflexive pronouns
          "i me my mine myself we us our ours ourselves you your yours yourself yourselves "
              + "he him his himself she her hers herself it its itself "
              + "they them their theirs themselves",
          // question words and relatives
          "what which who whom whose when where why how whether",
          // auxiliary and modal verbs
          "am is are was were be been being have has had having do does did doing will would "
              + "shall should can could might must",
          // pieces of split contractions (don't, it's, we'll, they're, I've, I'd, I'm)
          "s t ll re ve d m don doesn didn isn aren wasn weren hasn haven hadn wouldn shouldn "
              + "couldn mustn",
          // prepositions
          "about above across after against along among around at before behind below between "
              + "by down during for from in into near of off on onto out over through to toward "
              + "towards under until up upon with within without",
          // conjunctions
          "and but or nor so yet if then than because as while although though unless",
          // frequent adverbs and quantifiers
          "not only very too also just again further once here there all both few more most "
              + "many much now ever");

  private StopWords() {}

  /** The words of each space-separated group; {@link Set#of} rejects a word listed twice. */
  private static Set<String> words(String... groups) {
    return Set.of(String.join(" ", groups).split(" "));
  }

  /** Every stop word; for tests. */
  static Set<String> words() {
    return WORDS;
  }

  /**
   * Whether {@code lowerCaseToken} is a stop word.
   *
   * @param lowerCaseToken a token as {@link TextTokenizer} produces it (lower case, no diacritics);
   *     not null
   * @return true if it is on the list; false for anything else, including upper-case spellings
   * @throws NullPointerException if {@code lowerCaseToken} is null
   */
  public static boolean contains(String lowerCaseToken) {
    return WORDS.contains(lowerCaseToken);
  }
}
