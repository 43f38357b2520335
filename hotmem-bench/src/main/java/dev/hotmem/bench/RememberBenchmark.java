package dev.hotmem.bench;

import dev.hotmem.HotMem;
import dev.hotmem.NewMemory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Storing memories with the default (hash) embedder into a store: one at a time, and in batches of
 * {@code batchSize}. For {@code batch}, the {@code memories} counter is memories per second (the
 * primary score counts calls).
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
  private HotMem mem;
  private Corpus corpus;

  @Setup(Level.Trial)
  public void open() {
    mem = HotMem.inMemory();
    corpus = new Corpus(7, 20_000);
  }

  @TearDown(Level.Trial)
  public void close() {
    mem.close();
  }

  /** A fresh batch for every call (generated outside the measurement). */
  @State(Scope.Thread)
  public static class Batch {
    /** Memories per {@code batch} call. */
    @Param({"1000", "10000"})
    public int batchSize;

    List<NewMemory> memories;

    @Setup(Level.Invocation)
    public void next(RememberBenchmark bench) {
      memories = bench.corpus.memories(batchSize, 100);
    }
  }

  /** A fresh memory for every call. */
  @State(Scope.Thread)
  public static class One {
    NewMemory memory;

    @Setup(Level.Invocation)
    public void next(RememberBenchmark bench) {
      memory = bench.corpus.memories(1, 100).get(0);
    }
  }

  /** Counts memories stored, so the batch score reads in memories per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class MemoriesPerCall {
    public long memories;

    @Setup(Level.Iteration)
    public void reset() {
      memories = 0;
    }
  }

  @Benchmark
  public Object single(One one) {
    return mem.remember(one.memory);
  }

  @Benchmark
  public Object batch(Batch batch, MemoriesPerCall counter) {
    counter.memories += batch.memories.size();
    return mem.rememberAll(batch.memories);
  }
}
