package dev.hotmem.internal.engine;

import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.index.VectorQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs vector searches on one thread of their own, so that a recall's vector scan overlaps its
 * keyword stage in SQLite, and gathers the searches that queue up meanwhile into one {@link
 * VectorIndex#searchAll} call.
 *
 * <p>Implementation notes. The exact scan is memory-bound (see {@code ExactVectorIndex}): alone, a
 * search waits on memory, not arithmetic. Under concurrent recalls the searches queue behind the
 * running one; taking them all at once lets the index read each block of vectors once for the whole
 * batch. Nothing waits to form a batch: an idle batcher runs a lone search at once, so a single
 * caller sees no added latency.
 *
 * <p>Thread-safe. After {@link #close()}, searches run on the caller's thread.
 */
final class VectorScanBatcher implements AutoCloseable {
  /** Most searches per pass. Larger batches delay the first of them for little more gain. */
  static final int MAX_BATCH = 16;

  private static final Logger LOG = LoggerFactory.getLogger(VectorScanBatcher.class);

  private record Request(VectorQuery query, CompletableFuture<List<VectorHit>> answer) {}

  private final VectorIndex index;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final Thread worker;
  private volatile boolean closed;

  VectorScanBatcher(VectorIndex index, String name) {
    this.index = index;
    this.worker = new Thread(this::work, name);
    worker.setDaemon(true); // an engine the caller forgets to close must not keep the JVM alive
    worker.start();
  }

  /** Queues a search; the future completes with its hits or with the exception it threw. */
  CompletableFuture<List<VectorHit>> submit(VectorQuery query) {
    CompletableFuture<List<VectorHit>> answer = new CompletableFuture<>();
    if (closed) {
      runAlone(new Request(query, answer));
      return answer;
    }
    Request request = new Request(query, answer);
    queue.add(request);
    if (closed && queue.remove(request)) {
      runAlone(request); // raced with close(): the worker may be gone
    }
    return answer;
  }

  private void work() {
    List<Request> batch = new ArrayList<>(MAX_BATCH);
    while (!closed) {
      try {
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        run(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        // run() completes every future; this is a bug in it, and the thread must survive it.
        LOG.error("vector search batch failed", e);
        batch.forEach(r -> r.answer().completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
    for (Request r; (r = queue.poll()) != null; ) {
      runAlone(r);
    }
  }

  private void run(List<Request> batch) {
    if (batch.size() == 1) {
      runAlone(batch.get(0));
      return;
    }
    List<VectorQuery> queries = new ArrayList<>(batch.size());
    batch.forEach(r -> queries.add(r.query()));
    List<List<VectorHit>> answers;
    try {
      answers = index.searchAll(queries);
    } catch (RuntimeException e) {
      // One bad query must not fail the others: answer each on its own.
      batch.forEach(this::runAlone);
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).answer().complete(answers.get(i));
    }
  }

  private void runAlone(Request r) {
    try {
      VectorQuery q = r.query();
      r.answer().complete(index.search(q.vector(), q.k(), q.filter()));
    } catch (RuntimeException e) {
      r.answer().completeExceptionally(e);
    }
  }

  /** Stops the thread after the searches already queued; later searches run on their caller. */
  @Override
  public void close() {
    closed = true;
    try {
      worker.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
