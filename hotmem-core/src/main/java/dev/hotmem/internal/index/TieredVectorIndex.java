package dev.hotmem.internal.index;

import dev.hotmem.HotMemConfig;
import dev.hotmem.MemoryStatus;
import dev.hotmem.VectorIndexStatus;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.index.VectorQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's vector index: an {@link ExactVectorIndex} while the store is small, a {@link
 * JVectorIndex} once it holds more than a threshold of entries. Exact search is exact and needs no
 * build; past the threshold its full scan costs more than a graph search (see {@link
 * #DEFAULT_THRESHOLD}). The switch is one way: an index that shrinks keeps its graph, whose
 * searches under selective filters are exact anyway.
 *
 * <p>Thread-safety: concurrent reads and one writer at a time (the engine serialises writes).
 *
 * <p>Implementation notes. A graph of up to {@link #SYNCHRONOUS_BUILD_LIMIT} entries is built in
 * the write that crosses the threshold (a few seconds at most). A larger one (the usual case: a
 * store opened without its side-file, or a threshold of 50,000) is built on a background thread
 * from a snapshot of the exact index, while the exact index keeps answering searches and taking
 * writes; writes made meanwhile are also queued, and the builder replays the queue until it finds
 * it empty under the writers' lock, then swaps the graph in under the search lock. The exact index
 * therefore holds every vector a second time until the swap. Closing stops a build (the next open
 * starts it again). If a build fails (out of memory, say), the index stays exact and says so.
 */
public final class TieredVectorIndex implements VectorIndex {
  private static final Logger LOG = LoggerFactory.getLogger(TieredVectorIndex.class);

  /**
   * Entries above which the graph index takes over: see HotMemConfig.Builder#annThreshold and
   * docs/BENCHMARKS.md ("ANN index").
   */
  public static final int DEFAULT_THRESHOLD = HotMemConfig.Builder.DEFAULT_ANN_THRESHOLD;

  /** Largest graph built in the writer's own call rather than in the background. */
  static final int SYNCHRONOUS_BUILD_LIMIT = 5_000;

  private static final int BUILD_BATCH = 4096;

  private final int dimension;
  private final int threshold;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Lock readLock = lock.readLock();
  private final Lock writeLock = lock.writeLock();
  // Writers, and the builder when it swaps, hold this; it guards exact, pending and building.
  private final Object writes = new Object();
  private VectorIndex active;
  private JVectorIndex graph;
  private ExactVectorIndex exact;
  private List<Consumer<VectorIndex>> pending;
  // Volatile for status(), which must not wait for a writer's batch; written under writes.
  private volatile Thread building;
  private volatile Runnable graphReady = () -> {};
  private boolean buildFailed;
  private volatile boolean closing;

  /** An empty index that switches to a graph above {@link #DEFAULT_THRESHOLD} entries. */
  public TieredVectorIndex(int dimension) {
    this(dimension, DEFAULT_THRESHOLD);
  }

  /**
   * An empty index that switches to a graph above {@code threshold} entries.
   *
   * @throws IllegalArgumentException if {@code dimension} is less than 1 or {@code threshold} is
   *     negative
   */
  public TieredVectorIndex(int dimension, int threshold) {
    if (threshold < 0) {
      throw new IllegalArgumentException("threshold: expected >= 0, found " + threshold);
    }
    this.dimension = dimension;
    this.threshold = threshold;
    this.exact = new ExactVectorIndex(dimension);
    this.active = exact;
  }

  /** An index that starts from a graph index (loaded from its side-file). */
  public TieredVectorIndex(JVectorIndex graph, int threshold) {
    this.dimension = graph.dimension();
    this.threshold = threshold;
    this.graph = graph;
    this.active = graph;
  }

  /** The graph index if it has taken over, else null (also while one is being built). */
  public JVectorIndex graph() {
    readLock.lock();
    try {
      return graph;
    } finally {
      readLock.unlock();
    }
  }

  /** What answers searches now; see {@link dev.hotmem.HotMem#vectorIndex()}. */
  public VectorIndexStatus status() {
    boolean inBuild = building != null;
    readLock.lock();
    try {
      return graph != null
          ? new VectorIndexStatus(
              VectorIndexStatus.Kind.GRAPH, graph.size(), false, graph.searchBeam())
          : new VectorIndexStatus(VectorIndexStatus.Kind.EXACT, active.size(), inBuild, 0);
    } finally {
      readLock.unlock();
    }
  }

  /** Whether a graph is being built in the background. */
  public boolean building() {
    synchronized (writes) {
      return building != null;
    }
  }

  /** Waits up to {@code timeout} for a background build; returns whether the graph is in use. */
  boolean awaitGraph(Duration timeout) throws InterruptedException {
    Thread t;
    synchronized (writes) {
      t = building;
    }
    if (t != null) {
      t.join(Math.max(1, timeout.toMillis()));
    }
    return graph() != null;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int size() {
    readLock.lock();
    try {
      return active.size();
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public void upsert(VectorEntry entry) {
    upsertAll(List.of(entry));
  }

  @Override
  public void upsertAll(List<VectorEntry> entries) {
    synchronized (writes) {
      if (graph != null) {
        graph.upsertAll(entries);
        return;
      }
      boolean crossing =
          pending == null && !buildFailed && exact.size() + entries.size() > threshold;
      if (crossing && exact.size() + entries.size() <= SYNCHRONOUS_BUILD_LIMIT) {
        switchNow(entries);
        return;
      }
      exact.upsertAll(entries);
      if (crossing) {
        startBuild();
      } else if (pending != null) {
        List<VectorEntry> copy = List.copyOf(entries);
        pending.add(index -> index.upsertAll(copy));
      }
    }
  }

  @Override
  public void setStatus(long key, MemoryStatus status) {
    synchronized (writes) {
      if (graph != null) {
        graph.setStatus(key, status);
        return;
      }
      exact.setStatus(key, status);
      if (pending != null) {
        pending.add(index -> index.setStatus(key, status));
      }
    }
  }

  @Override
  public void remove(long key) {
    synchronized (writes) {
      if (graph != null) {
        graph.remove(key);
        return;
      }
      exact.remove(key);
      if (pending != null) {
        pending.add(index -> index.remove(key));
      }
    }
  }

  /** Builds the graph in this call (a small index) and swaps it in. */
  private void switchNow(List<VectorEntry> entries) {
    long start = System.nanoTime();
    List<VectorEntry> all = new ArrayList<>(exact.entries());
    all.addAll(entries);
    JVectorIndex built = new JVectorIndex(dimension);
    try {
      built.upsertAll(all);
    } catch (RuntimeException e) {
      built.close();
      throw e;
    }
    swapIn(built, start);
  }

  /**
   * Starts building the graph from what the exact index holds now; called under {@link #writes}.
   */
  private void startBuild() {
    List<VectorEntry> snapshot = exact.entries();
    pending = new ArrayList<>();
    building = new Thread(() -> build(snapshot), "hotmem-vector-graph");
    building.setDaemon(true);
    building.start();
    LOG.info(
        "vector index: {} entries passed the threshold of {}; building the graph in the"
            + " background, exact search meanwhile",
        snapshot.size(),
        threshold);
  }

  /**
   * Runs {@code listener} on the build thread once a background build's graph is in use, with this
   * index's write queue locked: it must only hand work to another thread.
   */
  public void onGraphReady(Runnable listener) {
    graphReady = Objects.requireNonNull(listener, "listener");
  }

  private void build(List<VectorEntry> snapshot) {
    long start = System.nanoTime();
    JVectorIndex built = new JVectorIndex(dimension);
    try {
      for (int from = 0; from < snapshot.size(); from += BUILD_BATCH) {
        if (closing) {
          abandon(built);
          return;
        }
        built.upsertAll(snapshot.subList(from, Math.min(snapshot.size(), from + BUILD_BATCH)));
      }
      while (true) {
        List<Consumer<VectorIndex>> ops;
        synchronized (writes) {
          if (closing) {
            abandon(built);
            return;
          }
          if (pending.isEmpty()) {
            pending = null;
            building = null;
            swapIn(built, start);
            graphReady.run();
            return;
          }
          ops = pending;
          pending = new ArrayList<>();
        }
        for (Consumer<VectorIndex> op : ops) {
          op.accept(built);
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.warn(
          "vector index: building the graph failed, staying on exact search: {}", e.toString());
      synchronized (writes) {
        pending = null;
        building = null;
        buildFailed = true;
      }
      built.close();
    }
  }

  /** Drops a build stopped by {@link #close}. */
  private void abandon(JVectorIndex built) {
    synchronized (writes) {
      pending = null;
      building = null;
    }
    built.close();
  }

  /** Makes {@code built} the index; called by the one writer, or under {@link #writes}. */
  private void swapIn(JVectorIndex built, long start) {
    ExactVectorIndex old = exact;
    built.raiseMaxKey(old.maxKey());
    writeLock.lock();
    try {
      graph = built;
      active = built;
      exact = null;
    } finally {
      writeLock.unlock();
    }
    old.close();
    LOG.info(
        "vector index: graph of {} entries in use (threshold {}), built in {} ms",
        built.size(),
        threshold,
        (System.nanoTime() - start) / 1_000_000);
  }

  @Override
  public boolean contains(long key) {
    readLock.lock();
    try {
      return active.contains(key);
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public long maxKey() {
    readLock.lock();
    try {
      return active.maxKey();
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public List<VectorHit> search(float[] query, int k, VectorFilter filter) {
    readLock.lock();
    try {
      return active.search(query, k, filter);
    } finally {
      readLock.unlock();
    }
  }

  /**
   * {@inheritDoc} The exact index shares one pass over its vectors between the queries (its scan is
   * memory-bound); graph searches are not, so a batch of them runs on the common fork-join pool,
   * one search per task.
   */
  @Override
  public List<List<VectorHit>> searchAll(List<VectorQuery> queries) {
    readLock.lock();
    try {
      if (graph == null || queries.size() < 2) {
        return active.searchAll(queries);
      }
      VectorIndex index = active;
      return queries.parallelStream()
          .map(q -> index.search(q.vector(), q.k(), q.filter()))
          .toList();
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public float similarity(float[] query, long key) {
    readLock.lock();
    try {
      return active.similarity(query, key);
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public void similarities(float[] query, long[] keys, float[] out) {
    readLock.lock();
    try {
      active.similarities(query, keys, out);
    } finally {
      readLock.unlock();
    }
  }

  /** Stops a background build (waiting for its current batch) and releases the index. */
  @Override
  public void close() {
    closing = true;
    Thread t;
    synchronized (writes) {
      t = building;
    }
    if (t != null) {
      try {
        t.join(TimeUnit.MINUTES.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    writeLock.lock();
    try {
      active.close();
    } finally {
      writeLock.unlock();
    }
  }
}
