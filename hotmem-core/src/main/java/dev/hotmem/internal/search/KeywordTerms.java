package dev.hotmem.internal.search;

import dev.hotmem.internal.text.PorterStemmer;
import dev.hotmem.internal.text.TextTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A document's terms as {@link KeywordIndex} keys them: FTS5's tokens ({@link TextTokenizer}),
 * stemmed as FTS5's {@code porter} does ({@link PorterStemmer}), counted per column (content,
 * identifier, context). Thread-safe and stateless.
 */
public final class KeywordTerms {
  private KeywordTerms() {}

  /**
   * A document's terms and counts, computed without {@link KeywordIndex}'s lock so that a batch
   * holds the write lock only to append.
   */
  public static final class Prepared {
    final KeywordIndex.Doc doc;
    final String[] stems;
    final int[] counts;
    final int length;

    private Prepared(KeywordIndex.Doc doc, String[] stems, int[] counts, int length) {
      this.doc = doc;
      this.stems = stems;
      this.counts = counts;
      this.length = length;
    }
  }

  /** Tokenizes and stems a document; thread-safe, no lock. */
  public static Prepared prepare(KeywordIndex.Doc doc) {
    Map<String, int[]> counts = new HashMap<>();
    byte[][] buf = {new byte[64]};
    int length = 0;
    length += countTerms(doc.content(), 0, counts, buf);
    length += countTerms(doc.identifier(), 1, counts, buf);
    length += countTerms(doc.context(), 2, counts, buf);
    String[] stems = new String[counts.size()];
    int[] packed = new int[counts.size()];
    int i = 0;
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      int[] c = e.getValue();
      stems[i] = e.getKey();
      packed[i] = Math.min(c[0], 0xFFFF) | Math.min(c[1], 0xFF) << 16 | Math.min(c[2], 0xFF) << 24;
      i++;
    }
    return new Prepared(doc, stems, packed, length);
  }

  private static int countTerms(String text, int column, Map<String, int[]> counts, byte[][] buf) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    int[] n = {0};
    TextTokenizer.forEachToken(
        text,
        token -> {
          n[0]++;
          counts.computeIfAbsent(stemKey(token, buf), k -> new int[3])[column]++;
        });
    return n[0];
  }

  /**
   * The index's key of a token: its stem's bytes, one char per byte (ISO-8859-1), which is exact
   * even where FTS5's stemmer would cut a multi-byte character.
   */
  static String stemKey(CharSequence token, byte[][] buf) {
    int n = token.length();
    byte[] bytes = buf[0];
    int len = n;
    boolean ascii = true;
    for (int i = 0; i < n && ascii; i++) {
      ascii = token.charAt(i) < 0x80;
    }
    if (ascii) {
      if (bytes.length < n + 1) {
        bytes = buf[0] = new byte[n + 1];
      }
      for (int i = 0; i < n; i++) {
        bytes[i] = (byte) token.charAt(i);
      }
    } else {
      byte[] encoded = token.toString().getBytes(StandardCharsets.UTF_8);
      len = encoded.length;
      bytes = Arrays.copyOf(encoded, len + 1); // the stemmer may need a spare byte
    }
    int stemmed = PorterStemmer.stem(bytes, len);
    return new String(bytes, 0, stemmed, StandardCharsets.ISO_8859_1);
  }
}
