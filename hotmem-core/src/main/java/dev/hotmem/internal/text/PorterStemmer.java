package dev.hotmem.internal.text;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Stems a token exactly as SQLite FTS5's built-in {@code porter} tokenizer wrapper does, so that a
 * term stemmed here is byte for byte the term FTS5 indexed for a table created with {@code
 * tokenize='porter unicode61 remove_diacritics 2'}. The input is a token of {@link TextTokenizer}
 * (FTS5's base tokenizer), as UTF-8 bytes.
 *
 * <p>FTS5's stemmer is a variant of Porter's algorithm (steps 1a, 1b, 1c, 2, 3, 4, 5a, 5b, with the
 * later {@code bli -> ble} and {@code logi -> log} rules), and its quirks are reproduced here on
 * purpose, because fidelity to SQLite is the point:
 *
 * <ul>
 *   <li>It works on UTF-8 bytes, never on characters. A byte that is not ASCII is never a vowel, so
 *       it counts as a consonant; a step may cut a multi-byte character in two (in {@code a丸ed} the
 *       last two bytes of {@code 丸} are equal, so they count as a double consonant and one is
 *       dropped). Tokens shorter than 3 bytes or longer than 64 pass through unchanged.
 *   <li>Vowels are {@code a e i o u}, and {@code y} after a consonant. The {@code (*v*)} condition
 *       of step 1b and 1c is looser: there {@code y} is a vowel anywhere but in the first byte.
 *   <li>Step 1a: a final {@code s} is dropped unless it follows {@code s}; {@code es} is dropped
 *       whole after {@code i} (when longer than 3 bytes) or after {@code ss} (when longer than 4),
 *       otherwise only its {@code s}. So {@code ies -> ie}, {@code caresses -> caress}, {@code
 *       horses -> horse}.
 *   <li>Within a step, the first rule whose suffix matches decides, even when its condition fails:
 *       {@code feed} keeps its {@code eed} (m = 0) and is not tried as {@code fe + ed}. A suffix
 *       matches only a strictly longer token: {@code ational} itself is tried as {@code a +
 *       tional}.
 * </ul>
 *
 * <p>Thread-safe and allocation-free ({@link #stem(byte[], int)}). Checked against sqlite-jdbc's
 * FTS5 by {@code PorterStemmerTest}.
 */
public final class PorterStemmer {

  /** Tokens longer than this many bytes are not stemmed (FTS5_PORTER_MAX_TOKEN). */
  static final int MAX_TOKEN_BYTES = 64;

  /** Tokens shorter than this many bytes are not stemmed. */
  static final int MIN_TOKEN_BYTES = 3;

  // Rule conditions, on the stem left when the suffix is taken away.
  private static final int ALWAYS = 0;
  private static final int M_GT_0 = 1;
  private static final int M_GT_1 = 2;
  private static final int M_GT_1_AND_S_OR_T = 3;
  private static final int HAS_VOWEL = 4;

  /** Bit set in {@link #applyFirstMatch}'s result when a rule marked {@code signals} applied. */
  private static final int SIGNALLED = 1 << 16;

  /** A suffix, the condition on the stem before it, and what replaces it. */
  private static final class Rule {
    final byte[] suffix;
    final int condition;
    final byte[] replacement;

    /** Whether applying the rule is reported to the caller (step 1b: "ed" or "ing" removed). */
    final boolean signals;

    Rule(String suffix, int condition, String replacement, boolean signals) {
      this.suffix = suffix.getBytes(StandardCharsets.US_ASCII);
      this.condition = condition;
      this.replacement = replacement.getBytes(StandardCharsets.US_ASCII);
      this.signals = signals;
    }
  }

  private static Rule rule(String suffix, int condition, String replacement) {
    return new Rule(suffix, condition, replacement, false);
  }

  // Each step's rules in the order SQLite tries them (grouped by the suffix's second-to-last byte).

  private static final Rule[] STEP_1B = {
    rule("eed", M_GT_0, "ee"),
    new Rule("ed", HAS_VOWEL, "", true),
    new Rule("ing", HAS_VOWEL, "", true),
  };

  private static final Rule[] STEP_1B2 = {
    new Rule("at", ALWAYS, "ate", true),
    new Rule("bl", ALWAYS, "ble", true),
    new Rule("iz", ALWAYS, "ize", true),
  };

  private static final Rule[] STEP_2 = {
    rule("ational", M_GT_0, "ate"),
    rule("tional", M_GT_0, "tion"),
    rule("enci", M_GT_0, "ence"),
    rule("anci", M_GT_0, "ance"),
    rule("izer", M_GT_0, "ize"),
    rule("logi", M_GT_0, "log"),
    rule("bli", M_GT_0, "ble"),
    rule("alli", M_GT_0, "al"),
    rule("entli", M_GT_0, "ent"),
    rule("eli", M_GT_0, "e"),
    rule("ousli", M_GT_0, "ous"),
    rule("ization", M_GT_0, "ize"),
    rule("ation", M_GT_0, "ate"),
    rule("ator", M_GT_0, "ate"),
    rule("alism", M_GT_0, "al"),
    rule("iveness", M_GT_0, "ive"),
    rule("fulness", M_GT_0, "ful"),
    rule("ousness", M_GT_0, "ous"),
    rule("aliti", M_GT_0, "al"),
    rule("iviti", M_GT_0, "ive"),
    rule("biliti", M_GT_0, "ble"),
  };

  private static final Rule[] STEP_3 = {
    rule("ical", M_GT_0, "ic"),
    rule("ness", M_GT_0, ""),
    rule("icate", M_GT_0, "ic"),
    rule("iciti", M_GT_0, "ic"),
    rule("ful", M_GT_0, ""),
    rule("ative", M_GT_0, ""),
    rule("alize", M_GT_0, "al"),
  };

  private static final Rule[] STEP_4 = {
    rule("al", M_GT_1, ""),
    rule("ance", M_GT_1, ""),
    rule("ence", M_GT_1, ""),
    rule("er", M_GT_1, ""),
    rule("ic", M_GT_1, ""),
    rule("able", M_GT_1, ""),
    rule("ible", M_GT_1, ""),
    rule("ant", M_GT_1, ""),
    rule("ement", M_GT_1, ""),
    rule("ment", M_GT_1, ""),
    rule("ent", M_GT_1, ""),
    rule("ion", M_GT_1_AND_S_OR_T, ""),
    rule("ou", M_GT_1, ""),
    rule("ism", M_GT_1, ""),
    rule("ate", M_GT_1, ""),
    rule("iti", M_GT_1, ""),
    rule("ous", M_GT_1, ""),
    rule("ive", M_GT_1, ""),
    rule("ize", M_GT_1, ""),
  };

  private PorterStemmer() {}

  /**
   * Stems the token in {@code buf[0..len)} in place, as FTS5's porter tokenizer does.
   *
   * @param buf the token's UTF-8 bytes (lower case, as {@link TextTokenizer} hands them out); the
   *     stem is written over them. The stem is never longer than the token, so {@code buf} needs no
   *     room beyond {@code len}.
   * @param len the token's length in bytes, {@code 0 <= len <= buf.length}
   * @return the stem's length; {@code len} itself for tokens that pass through unchanged
   */
  public static int stem(byte[] buf, int len) {
    Objects.checkFromIndexSize(0, len, buf.length);
    if (len < MIN_TOKEN_BYTES || len > MAX_TOKEN_BYTES) {
      return len;
    }
    int n = step1a(buf, len);

    int afterStep1b = applyFirstMatch(STEP_1B, buf, n);
    n = afterStep1b & ~SIGNALLED;
    if ((afterStep1b & SIGNALLED) != 0) {
      int afterStep1b2 = applyFirstMatch(STEP_1B2, buf, n);
      if ((afterStep1b2 & SIGNALLED) != 0) {
        n = afterStep1b2 & ~SIGNALLED;
      } else {
        byte last = buf[n - 1];
        if (!isVowel(last, false)
            && last != 'l'
            && last != 's'
            && last != 'z'
            && last == byteAt(buf, n - 2)) {
          n--;
        } else if (measureIsOne(buf, n) && endsCvc(buf, n)) {
          buf[n++] = 'e';
        }
      }
    }

    // Step 1c.
    if (buf[n - 1] == 'y' && hasVowel(buf, n - 1)) {
      buf[n - 1] = 'i';
    }

    n = applyFirstMatch(STEP_2, buf, n);
    n = applyFirstMatch(STEP_3, buf, n);
    n = applyFirstMatch(STEP_4, buf, n);

    // Step 5a.
    if (buf[n - 1] == 'e'
        && (measureAboveOne(buf, n - 1) || (measureIsOne(buf, n - 1) && !endsCvc(buf, n - 1)))) {
      n--;
    }
    // Step 5b.
    if (n > 1 && buf[n - 1] == 'l' && buf[n - 2] == 'l' && measureAboveOne(buf, n - 1)) {
      n--;
    }
    return n;
  }

  /**
   * An exact key for the stemmed bytes of {@code token}, not readable text: each byte of the UTF-8
   * stem becomes one {@code char} (ISO-8859-1), so two keys are equal exactly when FTS5's terms
   * are, even when the stem cuts a multi-byte character (which FTS5 also does).
   *
   * @param token a token of {@link TextTokenizer}, not null
   * @return the stem's bytes, one {@code char} per byte
   */
  public static String stemKey(CharSequence token) {
    byte[] bytes = token.toString().getBytes(StandardCharsets.UTF_8);
    return new String(bytes, 0, stem(bytes, bytes.length), StandardCharsets.ISO_8859_1);
  }

  /**
   * The stem of {@code token} as text, for display and diagnostics only: a stem that cuts a
   * multi-byte character decodes with a replacement character, so use {@link #stemKey} as a key.
   *
   * @param token a token of {@link TextTokenizer}, not null
   * @return the stem, UTF-8 decoded
   */
  public static String stemText(CharSequence token) {
    byte[] bytes = token.toString().getBytes(StandardCharsets.UTF_8);
    return new String(bytes, 0, stem(bytes, bytes.length), StandardCharsets.UTF_8);
  }

  /** Step 1a; {@code n >= 3}. */
  private static int step1a(byte[] buf, int n) {
    if (buf[n - 1] != 's') {
      return n;
    }
    if (buf[n - 2] == 'e') {
      boolean dropEs =
          (n > 4 && buf[n - 4] == 's' && buf[n - 3] == 's') || (n > 3 && buf[n - 3] == 'i');
      return dropEs ? n - 2 : n - 1;
    }
    return buf[n - 2] != 's' ? n - 1 : n;
  }

  /**
   * Applies the first rule of {@code rules} whose suffix ends {@code buf[0..n)} (and is shorter
   * than it), if its condition holds; later rules are not tried even when it does not.
   *
   * @return the new length, with {@link #SIGNALLED} set if the rule applied is marked {@code
   *     signals}
   */
  private static int applyFirstMatch(Rule[] rules, byte[] buf, int n) {
    for (Rule rule : rules) {
      byte[] suffix = rule.suffix;
      if (n <= suffix.length || !endsWith(buf, n, suffix)) {
        continue;
      }
      int stem = n - suffix.length;
      if (!holds(rule.condition, buf, stem)) {
        return n;
      }
      byte[] replacement = rule.replacement;
      System.arraycopy(replacement, 0, buf, stem, replacement.length);
      int length = stem + replacement.length;
      return rule.signals ? length | SIGNALLED : length;
    }
    return n;
  }

  private static boolean endsWith(byte[] buf, int n, byte[] suffix) {
    int offset = n - suffix.length;
    for (int i = 0; i < suffix.length; i++) {
      if (buf[offset + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(int condition, byte[] buf, int stem) {
    switch (condition) {
      case ALWAYS:
        return true;
      case M_GT_0:
        return skipVowelsThenConsonant(buf, 0, stem, false) != 0;
      case M_GT_1:
        return measureAboveOne(buf, stem);
      case M_GT_1_AND_S_OR_T:
        return (buf[stem - 1] == 's' || buf[stem - 1] == 't') && measureAboveOne(buf, stem);
      case HAS_VOWEL:
        return hasVowel(buf, stem);
      default:
        throw new AssertionError(condition);
    }
  }

  /**
   * Whether {@code c} is a vowel: {@code a e i o u}, or {@code y} if {@code yIsVowel} (which
   * callers set when the previous byte was a consonant). Bytes of non-ASCII characters never are.
   */
  private static boolean isVowel(byte c, boolean yIsVowel) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || (yIsVowel && c == 'y');
  }

  /** {@code buf[i]}, or 0 (which no rule matches) before the start of the buffer. */
  private static int byteAt(byte[] buf, int i) {
    return i < 0 ? 0 : buf[i];
  }

  /**
   * Scans {@code buf[from..to)} for a vowel and then a consonant after it ({@code prevIsConsonant}
   * tells whether the byte before {@code from} was a consonant, which makes a leading {@code y} a
   * vowel).
   *
   * @return the index just past that consonant, or 0 if there is no such vowel-consonant pair
   */
  private static int skipVowelsThenConsonant(
      byte[] buf, int from, int to, boolean prevIsConsonant) {
    boolean consonant = prevIsConsonant;
    int i = from;
    for (; i < to; i++) {
      consonant = !isVowel(buf[i], consonant);
      if (!consonant) {
        break;
      }
    }
    for (i++; i < to; i++) {
      consonant = !isVowel(buf[i], consonant);
      if (consonant) {
        return i + 1;
      }
    }
    return 0;
  }

  /** Porter's {@code m > 1} on {@code buf[0..n)}: at least two vowel-consonant sequences. */
  private static boolean measureAboveOne(byte[] buf, int n) {
    int next = skipVowelsThenConsonant(buf, 0, n, false);
    return next != 0 && skipVowelsThenConsonant(buf, next, n, true) != 0;
  }

  /** Porter's {@code m = 1} on {@code buf[0..n)}: exactly one vowel-consonant sequence. */
  private static boolean measureIsOne(byte[] buf, int n) {
    int next = skipVowelsThenConsonant(buf, 0, n, false);
    return next != 0 && skipVowelsThenConsonant(buf, next, n, true) == 0;
  }

  /**
   * Porter's {@code *o}: {@code buf[0..n)} ends consonant-vowel-consonant, the last not {@code w x
   * y}. Consonants are tracked from the first byte, so a {@code y} after a consonant is a vowel.
   */
  private static boolean endsCvc(byte[] buf, int n) {
    byte last = buf[n - 1];
    if (last == 'w' || last == 'x' || last == 'y') {
      return false;
    }
    int mask = 0;
    boolean consonant = false;
    for (int i = 0; i < n; i++) {
      consonant = !isVowel(buf[i], consonant);
      mask = (mask << 1) | (consonant ? 1 : 0);
    }
    return (mask & 0b111) == 0b101;
  }

  /** Porter's {@code *v*} as FTS5 has it: a vowel, counting {@code y} anywhere but first. */
  private static boolean hasVowel(byte[] buf, int n) {
    for (int i = 0; i < n; i++) {
      if (isVowel(buf[i], i > 0)) {
        return true;
      }
    }
    return false;
  }
}
