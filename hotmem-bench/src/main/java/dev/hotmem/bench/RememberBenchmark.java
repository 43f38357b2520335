package dev.hotmem.bench;

import dev.hotmem.HotMem;
import dev.hotmem.NewMemory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Storing memories with the default (hash) embedder into a file store: one at a time, and in
 * batches of {@value #BATCH}. Scores are memories per second.
 *
 * <p>Run: {@code java -jar hotmem-bench/target/benchmarks.jar RememberBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RememberBenchmark {
  static final int BATCH = 1000;

  private HotMem mem;
  private Corpus corpus;
  private List<NewMemory> batch;

  @Setup(Level.Trial)
  public void open() {
    mem = HotMem.inMemory();
    corpus = new Corpus(7, 20_000);
  }

  @Setup(Level.Invocation)
  public void nextBatch() {
    batch = corpus.memories(BATCH, 100);
  }

  @TearDown(Level.Trial)
  public void close() {
    mem.close();
  }

  @Benchmark
  public Object single() {
    return mem.remember(batch.get(0));
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object batch() {
    return mem.rememberAll(batch);
  }
}
