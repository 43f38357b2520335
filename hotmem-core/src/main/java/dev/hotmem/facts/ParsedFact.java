package dev.hotmem.facts;

import java.util.Locale;
import java.util.Objects;

/**
 * One line read as MEMORY_SPEC v1.0 notation: {@code SIGIL[target]: text}, where the sigil is one
 * of {@code C D V ? ✓ ~} (also {@code ✔} for done) and the target is a dotted key such as {@code
 * srv.prod} (letters, digits, {@code _ - /}, segments joined by single dots, at most {@value
 * #MAX_TARGET_CHARS} chars; stored in lower case). {@code ✓} and {@code ~} may omit the colon and
 * text; the other types need text after the colon.
 *
 * <p>Anything else is a {@link FactType#PLAIN plain} fact whose target is {@value #PLAIN_TARGET}
 * and whose text is the whole (stripped) line: parsing never rejects input.
 *
 * @param type the fact's type; never null
 * @param target the dotted key in lower case, or {@value #PLAIN_TARGET} for plain facts
 * @param text what follows the colon, stripped (may be empty for done and obsolete), or the whole
 *     line for plain facts
 */
public record ParsedFact(FactType type, String target, String text) {
  /** The target of every plain fact. */
  public static final String PLAIN_TARGET = "general";

  /** The longest accepted target. */
  public static final int MAX_TARGET_CHARS = 128;

  public ParsedFact {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(text, "text");
  }

  /**
   * Reads {@code line}. Never throws for any non-null string, however malformed.
   *
   * @param line the text written, not null
   * @throws NullPointerException if {@code line} is null
   */
  public static ParsedFact parse(String line) {
    Objects.requireNonNull(line, "line");
    String s = line.strip();
    ParsedFact notation = notation(s);
    return notation != null ? notation : new ParsedFact(FactType.PLAIN, PLAIN_TARGET, s);
  }

  /** The notation form of this fact: {@code V[srv.prod]: text}, or the text alone when plain. */
  public String line() {
    if (type == FactType.PLAIN) {
      return text;
    }
    String head = type.sigil() + "[" + target + "]";
    return text.isEmpty() ? head : head + ": " + text;
  }

  private static ParsedFact notation(String s) {
    if (s.length() < 4) {
      return null;
    }
    int sigilEnd = Character.charCount(s.codePointAt(0));
    FactType type = typeOf(s.codePointAt(0));
    if (type == null || s.charAt(sigilEnd) != '[') {
      return null;
    }
    int close = s.indexOf(']', sigilEnd + 1);
    if (close < 0) {
      return null;
    }
    // Lower-cased before the check: lower-casing can add characters (a combining dot), and the
    // stored target must read back as a target.
    String target = s.substring(sigilEnd + 1, close).strip().toLowerCase(Locale.ROOT);
    if (!isTarget(target)) {
      return null;
    }
    String rest = s.substring(close + 1).stripLeading();
    String text;
    if (rest.isBlank()) {
      text = "";
    } else if (rest.charAt(0) == ':') {
      text = rest.substring(1).strip();
    } else {
      return null;
    }
    if (text.isEmpty() && type != FactType.DONE && type != FactType.OBSOLETE) {
      return null;
    }
    return new ParsedFact(type, target, text);
  }

  private static FactType typeOf(int codePoint) {
    return switch (codePoint) {
      case 'C' -> FactType.CONSTRAINT;
      case 'D' -> FactType.DECISION;
      case 'V' -> FactType.VALUE;
      case '?' -> FactType.UNKNOWN;
      case 0x2713, 0x2714 -> FactType.DONE;
      case '~' -> FactType.OBSOLETE;
      default -> null;
    };
  }

  /** A dotted key: segments of letters, digits, {@code _ - /}, joined by single dots. */
  static boolean isTarget(String t) {
    if (t.isEmpty() || t.length() > MAX_TARGET_CHARS) {
      return false;
    }
    boolean segmentStart = true;
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '.') {
        if (segmentStart) {
          return false;
        }
        segmentStart = true;
      } else if (Character.isLetterOrDigit(cp) || cp == '_' || cp == '-' || cp == '/') {
        segmentStart = false;
      } else {
        return false;
      }
    }
    return !segmentStart;
  }
}
