package dev.hotmem.bench;

import dev.hotmem.NewMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic load text: LoCoMo's dialog turns and questions (read at run time from the benchmark
 * file, never copied into the repository), multiplied into any number of distinct memories by
 * variation. Each memory splices the start of one turn to the end of another, renames its speaker
 * from a pool of {@value #SPEAKERS} generated names and swaps a tenth of its words for words of
 * other turns, so term statistics stay those of real conversation while no two memories repeat.
 *
 * <p>The file is {@code ../shared/bench/locomo-dev.json} or the {@code hotmem.locomo} system
 * property.
 */
final class LocomoCorpus {
  static final int SPEAKERS = 500;

  private final List<String[]> turns = new ArrayList<>(); // words of each turn's text
  private final List<String> questions = new ArrayList<>();
  private final List<String> speakers = new ArrayList<>();
  private final SplittableRandom random;

  LocomoCorpus(long seed) {
    random = new SplittableRandom(seed);
    Path file = Path.of(System.getProperty("hotmem.locomo", "../shared/bench/locomo-dev.json"));
    if (!Files.exists(file)) {
      throw new IllegalStateException(
          "LoCoMo file not found at " + file.toAbsolutePath() + " (set -Dhotmem.locomo=PATH)");
    }
    try {
      for (Locomo.Sample s : Locomo.read(file)) {
        for (Locomo.Turn t : s.turns()) {
          turns.add(t.text().split(" "));
        }
        for (Locomo.Question q : s.questions()) {
          questions.add(q.question());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] syllables = "ka ri to mo lu ne sa vi do pe ra mi zu ko ta li bo na se gu".split(" ");
    for (int i = 0; i < SPEAKERS; i++) {
      String name = syllables[i % 20] + syllables[(i / 20) % 20] + syllables[(i * 7 + 3) % 20];
      speakers.add(Character.toUpperCase(name.charAt(0)) + name.substring(1));
    }
  }

  private String[] anyTurn() {
    return turns.get(random.nextInt(turns.size()));
  }

  String memoryText() {
    String[] a = anyTurn();
    String[] b = anyTurn();
    int cutA = Math.max(1, a.length / 2);
    int cutB = b.length / 2;
    List<String> words = new ArrayList<>();
    for (int i = 0; i < cutA; i++) {
      words.add(a[i]);
    }
    for (int i = cutB; i < b.length; i++) {
      words.add(b[i]);
    }
    for (int i = 0; i < words.size(); i++) {
      if (random.nextInt(10) == 0) {
        String[] donor = anyTurn();
        words.set(i, donor[random.nextInt(donor.length)]);
      }
    }
    return speakers.get(random.nextInt(SPEAKERS)) + ": " + String.join(" ", words);
  }

  List<NewMemory> memories(int count, int identifiers) {
    return Corpus.memories(count, identifiers, random, this::memoryText);
  }

  /** LoCoMo questions with one of the generated speakers' names added, as users would ask. */
  List<String> queries(int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String q = questions.get(random.nextInt(questions.size()));
      out.add(random.nextBoolean() ? speakers.get(random.nextInt(SPEAKERS)) + ": " + q : q);
    }
    return out;
  }
}
