package dev.hotmem.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.HotMemException;
import dev.hotmem.Synchronous;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reader connections go to waiting reads first come, first served, and never beyond the pool. */
class ReaderPoolTest {
  @TempDir Path dir;

  /** A thread that holds a reader connection until {@code release}; returns once it holds it. */
  private static Thread holdTheOnlyReader(SqliteStore store, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () ->
                store.read(
                    "hold",
                    c -> {
                      held.countDown();
                      awaitQuietly(release);
                      return null;
                    }),
            "holder");
    holder.start();
    held.await();
    return holder;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitWaiting(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(t.getState()).as(t.getName()).isEqualTo(Thread.State.TIMED_WAITING);
  }

  @Test
  void waitingReadsGetTheConnectionInTheOrderTheyCameAndANewcomerQueuesBehindThem()
      throws Exception {
    try (SqliteStore store =
        SqliteStore.open(dir.resolve("r.sqlite"), Synchronous.NORMAL, Duration.ofSeconds(20), 1)) {
      List<String> order = new CopyOnWriteArrayList<>();
      CountDownLatch release = new CountDownLatch(1);
      Thread holder = holdTheOnlyReader(store, release);
      Thread first = new Thread(() -> store.read("first", c -> order.add("first")), "first");
      first.start();
      awaitWaiting(first);
      Thread second = new Thread(() -> store.read("second", c -> order.add("second")), "second");
      second.start();
      awaitWaiting(second);

      release.countDown();
      // A read arriving just as the connection comes back must not barge past the waiters.
      store.read("newcomer", c -> order.add("newcomer"));
      holder.join();
      first.join();
      second.join();
      assertThat(order).containsExactly("first", "second", "newcomer");
    }
  }

  @Test
  void aReadThatFindsEveryConnectionBusyTooLongIsTold() throws Exception {
    try (SqliteStore store =
        SqliteStore.open(dir.resolve("b.sqlite"), Synchronous.NORMAL, Duration.ofMillis(200), 1)) {
      CountDownLatch release = new CountDownLatch(1);
      Thread holder = holdTheOnlyReader(store, release);
      assertThatThrownBy(() -> store.read("late", c -> 1))
          .isInstanceOf(HotMemException.Busy.class)
          .hasMessageContaining("all 1 reader connections stayed busy for 200 ms");
      release.countDown();
      holder.join();
      // The permit came back: the next read gets the connection.
      int after = store.read("after", c -> 2);
      assertThat(after).isEqualTo(2);
    }
  }
}
