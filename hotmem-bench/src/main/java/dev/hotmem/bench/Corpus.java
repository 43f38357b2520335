package dev.hotmem.bench;

import dev.hotmem.NewMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Deterministic synthetic memories for load benchmarks: sentences of 8–20 words drawn from a
 * Zipf-distributed vocabulary (common English words at the head, a long tail of generated words),
 * so term frequencies look like real text rather than uniform noise. Same seed, same corpus.
 */
final class Corpus {
  private static final String[] COMMON =
      ("the user said that we should meet next week about project budget invoice vendor team"
              + " deadline release bug fix deploy server database config password account email"
              + " phone call meeting notes decision approved rejected customer order payment refund"
              + " shipping delivery address city travel trip flight hotel dinner lunch coffee book"
              + " movie music concert birthday party family friend kids school work office home"
              + " garden dog cat health doctor appointment gym running yoga painting photo camera"
              + " weekend morning evening monday tuesday friday march april june july august"
              + " prefers likes hates wants needs asked told remember important urgent later"
              + " price cost total paid twice late early new old big small red blue green")
          .split(" ");
  private static final String[] SYLLABLES =
      "ka ri to mo lu ne sa vi do pe ra mi zu ko ta li bo na se gu".split(" ");

  private final String[] vocabulary;
  private final double[] cumulative;
  private final SplittableRandom random;

  Corpus(long seed, int vocabularySize) {
    random = new SplittableRandom(seed);
    vocabulary = new String[vocabularySize];
    for (int i = 0; i < vocabularySize; i++) {
      vocabulary[i] = i < COMMON.length ? COMMON[i] : generated(i);
    }
    cumulative = new double[vocabularySize];
    double sum = 0;
    for (int i = 0; i < vocabularySize; i++) {
      sum += 1.0 / Math.pow(i + 1, 1.07);
      cumulative[i] = sum;
    }
    for (int i = 0; i < vocabularySize; i++) {
      cumulative[i] /= sum;
    }
  }

  private static String generated(int i) {
    StringBuilder b = new StringBuilder();
    int x = i;
    do {
      b.append(SYLLABLES[x % SYLLABLES.length]);
      x /= SYLLABLES.length;
    } while (x > 0);
    return b.toString();
  }

  String word() {
    double u = random.nextDouble();
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return vocabulary[lo];
  }

  String sentence(int minWords, int maxWords) {
    int n = minWords + random.nextInt(maxWords - minWords + 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(word());
    }
    return b.toString();
  }

  List<NewMemory> memories(int count, int identifiers) {
    return memories(count, identifiers, random, () -> sentence(8, 20));
  }

  /**
   * {@code count} memories of {@code text}, spread over {@code identifiers} subjects, with
   * importance in tenths.
   */
  static List<NewMemory> memories(
      int count, int identifiers, SplittableRandom random, Supplier<String> text) {
    List<NewMemory> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(
          NewMemory.builder("subject-" + random.nextInt(identifiers), text.get())
              .importance(random.nextInt(11) / 10.0)
              .build());
    }
    return out;
  }

  List<String> queries(int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(sentence(3, 7));
    }
    return out;
  }
}
