package dev.hotmem.bench;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.NewMemory;
import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.Embedders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batch ingest through the engine against the raw model, in the same run, over the same kind of
 * texts: how much of the model's throughput survives storing, indexing and deduplicating. The raw
 * figure is the embedder called directly in batches of {@code --batch}; the engine figure is {@link
 * HotMem#rememberAll} in batches of {@code --batch} memories into a fresh file store (which embeds
 * them in its own batches, writes SQLite + FTS5 and updates the vector index). The two alternate
 * for {@code --rounds} rounds on fresh texts each time, so neither benefits from a warmer machine;
 * the first round is a warm-up and is not counted.
 *
 * <p>Run (after {@code ./mvnw -q -pl hotmem-bench -am package -DskipTests}):
 *
 * <pre>{@code
 * java -cp hotmem-bench/target/benchmarks.jar dev.hotmem.bench.IngestThroughput \
 *     --embedder local --count 2000 --batch 256 --rounds 4
 * }</pre>
 */
public final class IngestThroughput {
  private IngestThroughput() {}

  public static void main(String[] args) throws Exception {
    String spec = "hash";
    int count = 2000;
    int batch = 256;
    int rounds = 4;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--embedder" -> spec = args[++i];
        case "--count" -> count = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.println(Machine.describe());
    Embedder embedder = Embedders.create(spec, Map.of());
    System.out.printf(
        Locale.ROOT,
        "embedder %s (%s), %d texts per measurement, batches of %d, %d rounds after a warm-up%n",
        spec,
        embedder.id(),
        count,
        batch,
        rounds);
    LocomoCorpus corpus = new LocomoCorpus(5);
    Path dir = Files.createTempDirectory("hotmem-ingest");
    double rawTotal = 0;
    double engineTotal = 0;
    try (HotMem mem =
        HotMem.open(
            HotMemConfig.builder(dir.resolve("ingest.sqlite")).embedder(embedder).build())) {
      for (int r = 0; r <= rounds; r++) {
        List<NewMemory> forRaw = corpus.memories(count, 100);
        List<NewMemory> forEngine = corpus.memories(count, 100);
        long t0 = System.nanoTime();
        for (int from = 0; from < count; from += batch) {
          List<String> texts = new ArrayList<>(batch);
          for (NewMemory m : forRaw.subList(from, Math.min(count, from + batch))) {
            texts.add(m.content());
          }
          embedder.embed(texts);
        }
        long t1 = System.nanoTime();
        for (int from = 0; from < count; from += batch) {
          mem.rememberAll(forEngine.subList(from, Math.min(count, from + batch)));
        }
        long t2 = System.nanoTime();
        double raw = count / ((t1 - t0) / 1e9);
        double engine = count / ((t2 - t1) / 1e9);
        System.out.printf(
            Locale.ROOT,
            "%s: raw model %.0f texts/s, engine %.0f memories/s, ratio %.3f%n",
            r == 0 ? "warm-up" : "round " + r,
            raw,
            engine,
            engine / raw);
        if (r > 0) {
          rawTotal += raw;
          engineTotal += engine;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "mean of %d rounds: raw model %.0f texts/s, engine %.0f memories/s, ratio %.3f (store"
              + " holds %d)%n",
          rounds,
          rawTotal / rounds,
          engineTotal / rounds,
          engineTotal / rawTotal,
          mem.count());
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
