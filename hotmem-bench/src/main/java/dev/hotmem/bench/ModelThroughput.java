package dev.hotmem.bench;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.Embedders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Raw throughput of an embedder on realistic text (the LoCoMo turns, {@code speaker: text}):
 * sentences a second when called with batches of 256 (as the engine's adds do) and when called one
 * text at a time (as recall's queries do), with the load average of the machine beside it, since
 * other processes share the cores.
 *
 * <p>Run: {@code java -cp hotmem-bench/target/benchmarks.jar dev.hotmem.bench.ModelThroughput
 * ../shared/bench/locomo-dev.json --embedder local:bge-small-en-v1.5 [--rounds 3]}
 */
public final class ModelThroughput {
  private static final int BATCH = 256;
  private static final int ONE_BY_ONE = 500;

  private ModelThroughput() {}

  public static void main(String[] args) throws Exception {
    String data = "../shared/bench/locomo-dev.json";
    String spec = "local";
    int rounds = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--embedder" -> spec = args[++i];
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> data = args[i];
      }
    }
    List<String> texts = new ArrayList<>();
    for (Locomo.Sample s : Locomo.read(Path.of(data))) {
      for (Locomo.Turn t : s.turns()) {
        texts.add(t.speaker() + ": " + t.text());
      }
    }
    long t0 = System.nanoTime();
    Embedder e = Embedders.create(spec, Map.of());
    e.embed("load");
    System.out.printf(
        "%s (%s): loaded in %.0f ms; %d texts%n%s%n",
        spec, e.id(), (System.nanoTime() - t0) / 1e6, texts.size(), Machine.describe());
    e.embed(texts.subList(0, Math.min(texts.size(), BATCH))); // warm up
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      for (int from = 0; from < texts.size(); from += BATCH) {
        e.embed(texts.subList(from, Math.min(texts.size(), from + BATCH)));
      }
      double batched = texts.size() / ((System.nanoTime() - start) / 1e9);
      int n = Math.min(ONE_BY_ONE, texts.size());
      start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        e.embed(texts.get(i));
      }
      double single = n / ((System.nanoTime() - start) / 1e9);
      System.out.printf(
          "round %d: batched %.0f sentences/s, one by one %.0f sentences/s (%.2f ms each),"
              + " load average %s%n",
          r + 1, batched, single, 1000 / single, loadAverage());
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "n/a";
    }
  }
}
