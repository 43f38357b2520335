package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writer and reader threads on one store, and two stores (as two processes would) on one
 * file: nothing is lost and no SQLITE_BUSY escapes.
 */
class ConcurrencyTest {
  @TempDir Path dir;

  @Test
  void writersAndReadersInOneProcessLoseNothing() throws Exception {
    int writers = 4;
    int perWriter = 150;
    try (HotMem mem = HotMem.open(dir.resolve("threads.sqlite"))) {
      List<Throwable> errors = run(mem, mem, writers, perWriter);
      assertThat(errors).isEmpty();
      assertThat(mem.count()).isEqualTo((long) writers * perWriter);
      for (int w = 0; w < writers; w++) {
        assertThat(mem.count(MemoryFilter.builder().identifier("writer-" + w).build()))
            .isEqualTo(perWriter);
      }
    }
  }

  @Test
  void twoStoresOnOneFileSeeEachOthersWritesAndLoseNothing() throws Exception {
    Path file = dir.resolve("shared.sqlite");
    try (HotMem a = HotMem.open(file);
        HotMem b = HotMem.open(file)) {
      List<Throwable> errors = run(a, b, 4, 100);
      assertThat(errors).isEmpty();
      assertThat(a.count()).isEqualTo(400);
      assertThat(b.count()).isEqualTo(400);
      // b's vector index catches up on rows a wrote: a keyword-free (misspelled) query finds them.
      a.remember(NewMemory.of("late", "The lighthouse keeper collects seashells"));
      List<MemoryMessage> hits =
          b.recall(RecallQuery.builder("lighthuose keper").identifier("late").build()).memories();
      assertThat(hits)
          .extracting(MemoryMessage::content)
          .containsExactly("The lighthouse keeper collects seashells");
      assertThat(hits.get(0).breakdown().vectorRank()).isEqualTo(1);
    }
  }

  @Test
  void recallStaysCompleteWhenAnotherProcessErasedTheBestMatches() {
    Path file = dir.resolve("stale.sqlite");
    HotMem.open(file).close();
    // b ranks by vectors only, so its (stale) vector index decides which candidates lead.
    try (HotMem a = HotMem.open(file);
        HotMem b = HotMem.open(HotMemConfig.builder(file).textWeight(0).vectorWeight(1).build())) {
      List<String> strong = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        strong.add(a.remember(NewMemory.of("fruit", "kiwi kiwi kiwi batch " + i)).memory().id());
      }
      for (int i = 0; i < 15; i++) {
        a.remember(
            NewMemory.of(
                "fruit",
                "a long note that mentions kiwi once among many other words about orchards,"
                    + " weather, markets and prices, number "
                    + i));
      }
      assertThat(b.recall(RecallQuery.builder("kiwi").topK(5).build()).memories())
          .extracting(MemoryMessage::memoryId)
          .containsExactlyInAnyOrderElementsOf(strong);
      strong.forEach(a::purge); // b's vector index still holds them
      List<MemoryMessage> hits = b.recall(RecallQuery.builder("kiwi").topK(5).build()).memories();
      assertThat(hits).hasSize(5);
      assertThat(hits).extracting(MemoryMessage::memoryId).doesNotContainAnyElementsOf(strong);
    }
  }

  @Test
  void anEarlyGraphSearchIsGivenUpWhenTheRecallLoadsAnotherProcesssRows() throws Exception {
    Path file = dir.resolve("early.sqlite");
    HotMemConfig config = HotMemConfig.builder(file).annThreshold(100).build();
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (HotMem a = HotMem.open(config)) {
      List<NewMemory> notes = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        notes.add(NewMemory.of("ops", "routine maintenance note " + i + " for rack " + (i % 17)));
      }
      a.rememberAll(notes);
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try (HotMem b =
          HotMem.open(
              HotMemConfig.builder(file).annThreshold(100).tracing(Tracing.STDERR).build())) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (b.vectorIndex().kind() != VectorIndexStatus.Kind.GRAPH
            || b.vectorIndex().building()) {
          assertThat(System.nanoTime()).as("b's graph is built").isLessThan(deadline);
          Thread.sleep(10);
        }
        // Only the vectors can find it: no word of the query is in it (shared spelling only).
        String added = a.remember(NewMemory.of("ops", "xylophones")).memory().id();
        err.reset();

        List<MemoryMessage> hits =
            b.recall(RecallQuery.builder("xylophonist").topK(1).build()).memories();

        assertThat(hits).extracting(MemoryMessage::memoryId).containsExactly(added);
        String trace = err.toString(StandardCharsets.UTF_8);
        assertThat(trace)
            .as("the early search ran on b's stale graph")
            .contains("\"vector_early_stale\": true");
      }
    } finally {
      System.setErr(original);
    }
  }

  /** Writers on {@code w} (half batch, half single), readers on {@code r}; returns failures. */
  private static List<Throwable> run(HotMem w, HotMem r, int writers, int perWriter)
      throws Exception {
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers * 2);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Future<?>> writes = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      int id = t;
      HotMem target = (t % 2 == 0) ? w : r;
      writes.add(
          pool.submit(
              () -> {
                start.await();
                List<NewMemory> batch = new ArrayList<>();
                for (int i = 0; i < perWriter; i++) {
                  NewMemory m =
                      NewMemory.of("writer-" + id, "writer " + id + " wrote fact " + i + " today");
                  if (i % 2 == 0) {
                    target.remember(m);
                  } else {
                    batch.add(m);
                    if (batch.size() == 5) {
                      target.rememberAll(batch);
                      batch.clear();
                    }
                  }
                }
                target.rememberAll(batch);
                return null;
              }));
    }
    for (int t = 0; t < writers; t++) {
      HotMem reader = (t % 2 == 0) ? r : w;
      pool.submit(
          () -> {
            try {
              start.await();
              while (writing.get()) {
                reader.recall(RecallQuery.builder("writer wrote fact").topK(10).build());
                reader.count();
              }
            } catch (Throwable e) {
              errors.add(e);
            }
          });
    }
    start.countDown();
    for (Future<?> f : writes) {
      try {
        f.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        errors.add(e.getCause());
      }
    }
    writing.set(false);
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    return new ArrayList<>(errors);
  }
}
