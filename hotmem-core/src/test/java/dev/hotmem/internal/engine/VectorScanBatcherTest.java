package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.MemoryStatus;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorQuery;
import dev.hotmem.internal.index.ExactVectorIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Concurrent vector searches batched on one thread answer exactly as lone searches do. */
class VectorScanBatcherTest {
  private static final int DIM = 32;
  private static final VectorFilter ACTIVE =
      new VectorFilter("ns", null, Set.of(MemoryStatus.ACTIVE), null);

  private final ExactVectorIndex index = new ExactVectorIndex(DIM);
  private final VectorScanBatcher batcher = new VectorScanBatcher(index, "test-vector-search");

  @AfterEach
  void close() {
    batcher.close();
    index.close();
  }

  private static float[] unit(Random random) {
    float[] v = new float[DIM];
    double sum = 0;
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
      sum += v[i] * v[i];
    }
    for (int i = 0; i < DIM; i++) {
      v[i] /= (float) Math.sqrt(sum);
    }
    return v;
  }

  @Test
  void concurrentSearchesGetTheirOwnExactAnswers() throws Exception {
    Random random = new Random(7);
    for (long key = 1; key <= 20_000; key++) {
      index.upsert(new VectorEntry(key, unit(random), "ns", "id" + key % 5, MemoryStatus.ACTIVE));
    }
    int threads = 8;
    int perThread = 60;
    List<float[]> queries = new ArrayList<>();
    for (int i = 0; i < threads * perThread; i++) {
      queries.add(unit(random));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<String>>> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t * perThread;
      failures.add(
          pool.submit(
              () -> {
                start.await();
                List<String> wrong = new ArrayList<>();
                for (int i = first; i < first + perThread; i++) {
                  VectorFilter filter =
                      i % 2 == 0
                          ? ACTIVE
                          : new VectorFilter("ns", "id3", Set.of(MemoryStatus.ACTIVE), null);
                  int k = 1 + i % 30;
                  List<VectorHit> batched =
                      batcher.submit(new VectorQuery(queries.get(i), k, filter)).get();
                  if (!batched.equals(index.search(queries.get(i), k, filter))) {
                    wrong.add("query " + i);
                  }
                }
                return wrong;
              }));
    }
    start.countDown();
    for (Future<List<String>> f : failures) {
      assertThat(f.get(60, TimeUnit.SECONDS)).isEmpty();
    }
    pool.shutdown();
  }

  @Test
  void aBadQueryFailsAloneAndSearchesAfterCloseRunOnTheCaller() throws Exception {
    Random random = new Random(3);
    for (long key = 1; key <= 100; key++) {
      index.upsert(new VectorEntry(key, unit(random), "ns", "x", MemoryStatus.ACTIVE));
    }
    CompletableFuture<List<VectorHit>> bad =
        batcher.submit(new VectorQuery(new float[DIM - 1], 5, ACTIVE));
    CompletableFuture<List<VectorHit>> good =
        batcher.submit(new VectorQuery(unit(random), 5, ACTIVE));
    assertThatThrownBy(bad::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThat(good.get()).hasSize(5);

    batcher.close();
    float[] q = unit(random);
    CompletableFuture<List<VectorHit>> after = batcher.submit(new VectorQuery(q, 3, ACTIVE));
    assertThat(after).isDone();
    assertThat(after.get()).isEqualTo(index.search(q, 3, ACTIVE));
  }
}
