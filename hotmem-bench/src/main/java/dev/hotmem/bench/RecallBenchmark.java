package dev.hotmem.bench;

import dev.hotmem.HotMem;
import dev.hotmem.RecallQuery;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process recall (top 10, hash embedder, the whole namespace) over a store of {@code size}
 * memories, realistic ({@link LocomoCorpus}) or synthetic ({@link Corpus}). Sample-time mode
 * reports p50 / p90 / p99.
 *
 * <p>Run: {@code java -jar hotmem-bench/target/benchmarks.jar RecallBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
public class RecallBenchmark {
  @Param({"10000", "100000"})
  public int size;

  /** {@code locomo}: LoCoMo turns with variations (realistic); {@code zipf}: synthetic words. */
  @Param({"locomo", "zipf"})
  public String corpus;

  private HotMem mem;
  private List<String> queries;
  private int next;

  @Setup(Level.Trial)
  public void load() {
    mem = HotMem.inMemory();
    if (corpus.equals("locomo")) {
      LocomoCorpus text = new LocomoCorpus(11);
      for (int done = 0; done < size; done += 10_000) {
        mem.rememberAll(text.memories(Math.min(10_000, size - done), 1000));
      }
      queries = text.queries(1024);
    } else {
      Corpus text = new Corpus(11, 20_000);
      for (int done = 0; done < size; done += 10_000) {
        mem.rememberAll(text.memories(Math.min(10_000, size - done), 1000));
      }
      queries = text.queries(1024);
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    mem.close();
  }

  @Benchmark
  public Object recall() {
    String q = queries.get(next++ & 1023);
    return mem.recall(RecallQuery.builder(q).topK(10).build());
  }
}
