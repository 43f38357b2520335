package dev.hotmem.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.HotMem;
import dev.hotmem.MemoryStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two fact memories on two stores of one file (as two processes would be) interleave writes and
 * ticks: nothing is lost, and exactly one value stays current for a target both write.
 */
class FactConcurrencyTest {
  @TempDir Path dir;

  @Test
  void twoHandlesOnOneFileLoseNothing() throws Exception {
    Path file = dir.resolve("shared.sqlite");
    int perWriter = 60;
    try (HotMem a = HotMem.open(file);
        HotMem b = HotMem.open(file)) {
      FactMemory fa = FactMemory.open(a, FactConfig.builder().hotBudgetTokens(180).build());
      FactMemory fb = FactMemory.open(b, FactConfig.builder().hotBudgetTokens(180).build());
      ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (FactMemory f : List.of(fa, fb)) {
        String who = f == fa ? "a" : "b";
        done.add(
            pool.submit(
                () -> {
                  try {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                      ids.add(
                          f.write("V[" + who + ".k" + i + "]: " + i, "scope-" + who).fact().id());
                      ids.add(f.write("V[shared]: " + who + "-" + i, "shared").fact().id());
                      f.tick(i, i % 7 == 0 ? "scope-" + who + " progress" : null);
                    }
                  } catch (Throwable t) {
                    errors.add(t);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> d : done) {
        d.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(errors).isEmpty();
      assertThat(ids).hasSize(4 * perWriter).doesNotHaveDuplicates();
      for (String id : ids) {
        assertThat(b.get(id).status())
            .isIn(MemoryStatus.ACTIVE, MemoryStatus.SUPERSEDED, MemoryStatus.ARCHIVED);
      }
      assertThat(fa.export(null, "all").lines()).hasSize(4 * perWriter);
      List<String> currentShared =
          fb.export("shared", "current").lines().filter(l -> l.startsWith("V[shared]")).toList();
      assertThat(currentShared).hasSize(1);
      assertThat(fa.reflect("shared", 200)).hasSize(2 * perWriter);
      assertThat(fa.status().block()).isEqualTo(fb.status().block());
    }
  }

  @Test
  void aSearchRacingAReplacingWriteNeverReturnsAReplacedFactAsCurrent() throws Exception {
    Path file = dir.resolve("race.sqlite");
    try (HotMem a = HotMem.open(file);
        HotMem b = HotMem.open(file)) {
      FactMemory writer = FactMemory.open(a, FactConfig.defaults());
      FactMemory reader = FactMemory.open(b, FactConfig.defaults());
      writer.write("V[srv.prod]: host-0", null);
      ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
      Thread t =
          new Thread(
              () -> {
                for (int i = 1; i <= 150; i++) {
                  writer.write("V[srv.prod]: host-" + i, null);
                }
              });
      t.start();
      while (t.isAlive()) {
        for (Fact f : reader.search("srv.prod host", null, 20)) {
          if (!f.current()) {
            bad.add(f.line() + " " + f.status());
          }
        }
      }
      t.join();
      assertThat(bad).isEmpty();
      assertThat(reader.search("srv.prod host", null, 20))
          .extracting(Fact::line)
          .containsExactly("V[srv.prod]: host-150");
    }
  }
}
