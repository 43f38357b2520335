package dev.hotmem.internal.engine;

import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.index.VectorQuery;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A graph search a recall starts beside its keyword stage, run by a helper thread or, if no helper
 * has begun it by the time the recall needs it, by the recall itself.
 *
 * <p>Implementation notes. Waiting for a search no helper has started would make the recall's
 * latency depend on the helper's scheduling: under a saturating load on JDK 25, with the HTTP
 * server's virtual threads, a helper's search or the recall's wake-up after it could wait 50-700 ms
 * behind the requests the two carriers kept running, while the median recall took 2 ms. Whoever
 * claims the search first runs it, so a recall only ever waits for a search already running; and
 * recalls start early searches only while the engine is lightly loaded (see {@code Recall}).
 */
final class EarlySearch {
  private static final ExecutorService PLATFORM =
      Executors.newFixedThreadPool(
          Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
          r -> {
            Thread t = new Thread(r, "hotmem-vector-early");
            t.setDaemon(true); // an engine the caller forgets to close must not keep the JVM alive
            return t;
          });

  private final VectorIndex index;
  private final VectorQuery query;
  private final long started = System.nanoTime();
  private final AtomicBoolean claimed = new AtomicBoolean();
  private final CompletableFuture<List<VectorHit>> result = new CompletableFuture<>();
  private volatile long nanos;
  private volatile boolean ranByCaller;

  private EarlySearch(VectorIndex index, VectorQuery query) {
    this.index = index;
    this.query = query;
  }

  /** Starts {@code query} on a helper; {@link #join} gives its hits. */
  static EarlySearch start(VectorIndex index, VectorQuery query) {
    return start(index, query, PLATFORM);
  }

  /** As {@link #start(VectorIndex, VectorQuery)}, on {@code helpers}; for tests. */
  static EarlySearch start(VectorIndex index, VectorQuery query, Executor helpers) {
    EarlySearch search = new EarlySearch(index, query);
    try {
      helpers.execute(search::runIfUnclaimed);
    } catch (RejectedExecutionException e) {
      // No helper: join runs it.
    }
    return search;
  }

  private void runIfUnclaimed() {
    if (claimed.compareAndSet(false, true)) {
      run();
    }
  }

  private void run() {
    try {
      result.complete(index.search(query.vector(), query.k(), query.filter()));
    } catch (RuntimeException | Error e) {
      result.completeExceptionally(e);
    } finally {
      nanos = System.nanoTime() - started;
    }
  }

  /**
   * The hits: runs the search on this thread if no helper has begun it, else waits for the helper.
   *
   * @throws RuntimeException what the search threw
   * @throws InterruptedException if interrupted while waiting for the helper
   */
  List<VectorHit> join() throws InterruptedException {
    if (claimed.compareAndSet(false, true)) {
      ranByCaller = true;
      run();
    }
    try {
      return result.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("vector search failed", e.getCause());
    }
  }

  /**
   * Gives the search up: a helper that has not begun it never will; one already running finishes
   * and its hits are dropped.
   */
  void abandon() {
    claimed.set(true);
  }

  /** From the start to the end of the search, once {@link #join} returned. */
  long nanos() {
    return nanos;
  }

  /** Whether the recall ran the search itself (no helper had begun it). */
  boolean ranByCaller() {
    return ranByCaller;
  }
}
