package dev.hotmem.internal.index;

import dev.hotmem.MemoryStatus;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import io.github.jbellis.jvector.disk.ByteBufferReader;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorUtil;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;

/**
 * A {@link VectorIndex} over a JVector graph (DiskANN-style, kept on the heap): approximate nearest
 * neighbours in a few hundred microseconds where a full scan of 100,000 vectors of 384 dimensions
 * takes about 10 ms. Filters give the answers exact search gives (see the notes).
 *
 * <p>Thread-safety: as {@link ExactVectorIndex}: concurrent reads, one write at a time, a write
 * excludes reads. A {@link VectorFilter#allowedKeys()} predicate runs under the read lock and must
 * not write to this index.
 */
public final class JVectorIndex implements VectorIndex {
  /*
   * Implementation notes.
   *
   * Storage. Entries live in per-ordinal arrays (key, vector, namespace id, identifier id,
   * status); the graph knows ordinals only. Ordinals are handed out in order and never reused in
   * the life of an index: an upsert that changes an entry's vector (or namespace or identifier)
   * retires the old ordinal and takes a new one, because a graph node's edges were chosen for its
   * vector. A retired ordinal is marked deleted in the graph (JVector keeps routing through it, so
   * its vector stays) and its status set to DEAD; once retired nodes reach a tenth of the live
   * ones, removeDeletedNodes() repairs their neighbours' edges and their vectors are released.
   * Status changes and other attribute changes never touch the graph.
   *
   * Filters. Every search is filtered (namespace always; identifier, statuses and a key predicate
   * optionally), and a graph search with a selective filter either wanders over most of the graph
   * or, worse, stops with fewer than k hits. So the index counts its live entries per namespace
   * and per (namespace, identifier), by status, and keeps the ordinals of each such group in a
   * list. A search first estimates the matching count from those counts (exact except for the key
   * predicate): at most exactLimit (a small absolute number, or a small fraction of the index)
   * and it scores the group's ordinals one by one, the exact answer; otherwise it runs the graph
   * search with the whole filter as JVector's accept predicate and a beam of max(k, BEAM), and if
   * that returns fewer than min(k, estimate) hits (the key predicate was selective, or the graph
   * missed), it falls back to the exact scan of the group. Every returned hit has passed the
   * filter, and its cosine is recomputed against the stored vector, so answers are ordered and
   * scored as the exact index scores them (equal cosines by ascending key).
   *
   * Graph parameters: see Params.DEFAULT (overflow 1.2, alpha 1.2 and a hierarchy are JVector's
   * usual choices); AnnRecall in hotmem-bench measures recall against exact search.
   */

  /** The number of live entries below which a search scores its filter's group exactly. */
  static final int EXACT_LIMIT = 4096;

  /**
   * Graph parameters: the maximum degree of a node, the beam width while inserting, and the beam
   * width while searching (JVector's rerankK: candidates kept; a search asks for max(k, it)).
   */
  public record Params(int maxDegree, int buildBeam, int searchBeam) {
    /**
     * Degree 32, build beam 100, search beam 300. Measured with AnnRecall on bge-small-en-v1.5
     * vectors of LoCoMo-derived memories, 2 cores (docs/BENCHMARKS.md, "ANN index"): at 1,000,000
     * degree 16 found 0.84 / 0.91 of the exact top 10 at beam 200 / 400, degree 32 found 0.94 /
     * 0.96 / 0.97 at beam 200 / 300 / 400 (ANN p50 4.6 / 5.5 / 7.6 ms, JDK 25). Degree 32 builds
     * 1.6x slower (1,000,000 vectors: 1,040 s against 627 s) and makes each search step dearer, but
     * a wider beam on degree 16 buys less recall for the time. Smaller graphs need a narrower beam
     * for the same recall: see {@link #searchBeamFor}.
     */
    public static final Params DEFAULT = new Params(32, 100, 300);

    /** The narrowest beam {@link #searchBeamFor} gives (unless {@code searchBeam} is narrower). */
    public static final int MIN_SEARCH_BEAM = 100;

    /**
     * The search beam for a graph of {@code size} entries: {@code 120 + 190 log10(size / 100,000)},
     * at least {@link #MIN_SEARCH_BEAM} and at most {@code searchBeam}. The beam needed for a given
     * recall grows with the graph; this curve keeps degree 32 near 0.96 of the exact top 10 or
     * above (AnnRecall, bge-small-en-v1.5 vectors of LoCoMo-derived memories: 100,000 entries at
     * beam 120 found 0.964; 200,000 at 177, between 0.955 at 150 and 0.969 at 200; 300,000 at 211,
     * 0.962 already at 200; 500,000 at 253, 0.967 at 250; 1,000,000 at 300, the cap, 0.958;
     * docs/BENCHMARKS.md, "ANN index"). A narrower beam is a faster search: 100,000 entries take
     * 2.3 ms at beam 120 against 3.5 ms at 200.
     */
    public int searchBeamFor(int size) {
      long beam = Math.round(120 + 190 * Math.log10(Math.max(1, size) / 100_000.0));
      return (int) Math.max(Math.min(MIN_SEARCH_BEAM, searchBeam), Math.min(searchBeam, beam));
    }

    public Params {
      if (maxDegree < 2 || buildBeam < 1 || searchBeam < 1) {
        throw new IllegalArgumentException(
            "graph parameters: expected degree >= 2 and beams >= 1, found "
                + maxDegree
                + ", "
                + buildBeam
                + ", "
                + searchBeam);
      }
    }
  }

  static final float NEIGHBOR_OVERFLOW = 1.2f;
  static final float ALPHA = 1.2f;

  static final byte DEAD = -1;

  private final int dimension;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Lock readLock = lock.readLock();
  private final Lock writeLock = lock.writeLock();

  private final EntryTable table;
  private final int exactLimit;
  private final Params params;

  /** The beam {@link #setSearchBeam} fixed, or 0: the beam follows the size. */
  private volatile int fixedBeam;

  private final GraphIndexBuilder builder;
  private final SavedScores scores;
  private int retiredCount;
  private int[] retiredOrdinals = new int[16];
  private boolean closed;

  /**
   * An empty index.
   *
   * @param dimension the dimension of every vector, at least 1
   * @throws IllegalArgumentException if {@code dimension} is less than 1
   */
  public JVectorIndex(int dimension) {
    this(new EntryTable(checkDimension(dimension)), EXACT_LIMIT, Params.DEFAULT);
  }

  /** An empty index with other graph parameters (for benchmarks). */
  public JVectorIndex(int dimension, Params params) {
    this(new EntryTable(checkDimension(dimension)), EXACT_LIMIT, params);
  }

  /**
   * An empty index whose searches are exact up to {@code exactLimit} matching entries (tests set 0
   * to send every search they can to the graph).
   */
  JVectorIndex(int dimension, int exactLimit) {
    this(new EntryTable(checkDimension(dimension)), exactLimit, Params.DEFAULT);
  }

  private JVectorIndex(EntryTable table, int exactLimit, Params params) {
    this.dimension = table.dimension();
    this.table = table;
    this.exactLimit = exactLimit;
    this.params = params;
    this.scores =
        new SavedScores(
            BuildScoreProvider.randomAccessScoreProvider(
                table.vectorValues(), VectorSimilarityFunction.DOT_PRODUCT));
    this.builder = newBuilder(scores, table.dimension(), params);
    Simd.logOnce();
  }

  private static int checkDimension(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension: expected >= 1, found " + dimension);
    }
    return dimension;
  }

  // The Builder of 4.0.2 takes the hierarchy and final-refinement flags from JMX-tunable
  // defaults; this constructor states them. Refinement is off because it reruns neighbour search
  // for every node at cleanup (before each save), which at a million nodes takes minutes.
  @SuppressWarnings("deprecation")
  private static GraphIndexBuilder newBuilder(
      BuildScoreProvider scores, int dimension, Params params) {
    return new GraphIndexBuilder(
        scores,
        dimension,
        params.maxDegree(),
        params.buildBeam(),
        NEIGHBOR_OVERFLOW,
        ALPHA,
        true,
        false,
        ForkJoinPool.commonPool(),
        ForkJoinPool.commonPool());
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the index is closed
   */
  @Override
  public int size() {
    readLock.lock();
    try {
      ensureOpen();
      return table.size();
    } finally {
      readLock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the vector's length is not {@link #dimension()} or it has a
   *     non-finite component
   * @throws IllegalStateException if the index is closed
   */
  @Override
  public void upsert(VectorEntry entry) {
    upsertAll(List.of(entry));
  }

  /**
   * {@inheritDoc} New graph nodes of a batch are inserted in parallel on the common fork-join pool;
   * the index is write-locked meanwhile.
   *
   * @throws IllegalArgumentException as {@link #upsert} does, for any entry (then nothing changes)
   * @throws IllegalStateException if the index is closed
   */
  @Override
  public void upsertAll(List<VectorEntry> entries) {
    for (VectorEntry entry : entries) {
      table.checkVector("vector", entry.vector());
    }
    writeLock.lock();
    try {
      ensureOpen();
      int[] fresh = new int[entries.size()];
      int freshCount = 0;
      for (VectorEntry entry : lastOfEachKey(entries)) {
        int old = table.ordinalOf(entry.key());
        if (old >= 0 && table.sameVectorAndGroup(old, entry)) {
          table.setStatus(old, entry.status());
          continue;
        }
        if (old >= 0) {
          retire(old);
        }
        fresh[freshCount++] = table.add(entry);
      }
      addToGraph(fresh, freshCount);
      cleanupIfNeeded();
    } finally {
      writeLock.unlock();
    }
  }

  /** The entries, keeping only the last of each key (a node must not be retired before added). */
  private static Collection<VectorEntry> lastOfEachKey(List<VectorEntry> entries) {
    if (entries.size() < 2) {
      return entries;
    }
    Map<Long, VectorEntry> last = new LinkedHashMap<>();
    for (VectorEntry entry : entries) {
      last.remove(entry.key());
      last.put(entry.key(), entry);
    }
    return last.size() == entries.size() ? entries : last.values();
  }

  private void addToGraph(int[] ordinals, int count) {
    if (count == 1) {
      builder.addGraphNode(ordinals[0], table.vector(ordinals[0]));
    } else if (count > 1) {
      IntStream.range(0, count)
          .parallel()
          .forEach(i -> builder.addGraphNode(ordinals[i], table.vector(ordinals[i])));
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the index is closed
   */
  @Override
  public void setStatus(long key, MemoryStatus status) {
    Objects.requireNonNull(status, "status");
    writeLock.lock();
    try {
      ensureOpen();
      int ordinal = table.ordinalOf(key);
      if (ordinal >= 0) {
        table.setStatus(ordinal, status);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the index is closed
   */
  @Override
  public void remove(long key) {
    writeLock.lock();
    try {
      ensureOpen();
      int ordinal = table.ordinalOf(key);
      if (ordinal >= 0) {
        retire(ordinal);
        cleanupIfNeeded();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Brings entries to the statuses the store holds: {@code keys} (ascending) are the store's rows
   * this index should hold, {@code statuses} theirs. An entry whose key is not among them is
   * removed; one whose status differs takes the store's. Keys this index lacks are counted, not
   * added (this index has no vectors for them): a caller that finds any should rebuild. For a
   * side-file written before other processes changed the store.
   *
   * @return entries removed, statuses changed, and keys missing
   */
  public Reconciled reconcile(long[] keys, MemoryStatus[] statuses) {
    if (keys.length != statuses.length) {
      throw new IllegalArgumentException(
          keys.length + " keys for " + statuses.length + " statuses");
    }
    writeLock.lock();
    try {
      ensureOpen();
      int removed = 0;
      int changed = 0;
      for (int ordinal = 0; ordinal < table.upper(); ordinal++) {
        if (!table.isLive(ordinal)) {
          continue;
        }
        int at = Arrays.binarySearch(keys, table.key(ordinal));
        if (at < 0) {
          retire(ordinal);
          removed++;
        } else if (table.status(ordinal) != statuses[at]) {
          table.setStatus(ordinal, statuses[at]);
          changed++;
        }
      }
      int missing = 0;
      for (long key : keys) {
        if (table.ordinalOf(key) < 0) {
          missing++;
        }
      }
      cleanupIfNeeded();
      return new Reconciled(removed, changed, missing);
    } finally {
      writeLock.unlock();
    }
  }

  /** What {@link #reconcile} did. */
  public record Reconciled(int removed, int statusesChanged, int missing) {}

  private void retire(int ordinal) {
    table.kill(ordinal);
    builder.markNodeDeleted(ordinal);
    if (retiredCount == retiredOrdinals.length) {
      retiredOrdinals = Arrays.copyOf(retiredOrdinals, retiredCount * 2);
    }
    retiredOrdinals[retiredCount++] = ordinal;
  }

  /** Repairs the graph around retired nodes once they are a tenth of the live ones. */
  private void cleanupIfNeeded() {
    if (retiredCount > 64 && retiredCount * 10L > table.size()) {
      removeRetired();
    }
  }

  private void removeRetired() {
    if (retiredCount == 0) {
      return;
    }
    builder.removeDeletedNodes();
    for (int i = 0; i < retiredCount; i++) {
      table.releaseVector(retiredOrdinals[i]);
    }
    retiredCount = 0;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the index is closed
   */
  @Override
  public boolean contains(long key) {
    readLock.lock();
    try {
      ensureOpen();
      return table.ordinalOf(key) >= 0;
    } finally {
      readLock.unlock();
    }
  }

  /**
   * {@inheritDoc} Removing that entry does not lower it.
   *
   * @throws IllegalStateException if the index is closed
   */
  @Override
  public long maxKey() {
    readLock.lock();
    try {
      ensureOpen();
      return table.maxKey();
    } finally {
      readLock.unlock();
    }
  }

  /** Raises {@link #maxKey()} to at least {@code key} (entries moved from another index). */
  void raiseMaxKey(long key) {
    writeLock.lock();
    try {
      ensureOpen();
      table.raiseMaxKey(key);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * {@inheritDoc} Hits with equal cosines are ordered by ascending key. Hits never include an entry
   * the filter rejects; see the implementation notes for when the answer is exact.
   *
   * @throws IllegalArgumentException if {@code k} is less than 1, or the query's length is not
   *     {@link #dimension()} or it has a non-finite component
   * @throws IllegalStateException if the index is closed
   */
  @Override
  public List<VectorHit> search(float[] query, int k, VectorFilter filter) {
    if (k < 1) {
      throw new IllegalArgumentException("k: expected >= 1, found " + k);
    }
    table.checkVector("query", query);
    Objects.requireNonNull(filter, "filter");
    readLock.lock();
    try {
      ensureOpen();
      EntryTable.Selection selection = table.select(filter);
      if (selection == null) {
        return List.of();
      }
      int estimate = selection.estimate();
      if (estimate == 0) {
        return List.of();
      }
      VectorFloat<?> q = EntryTable.VTS.createFloatVector(query);
      int wanted = Math.min(k, estimate);
      if (estimate <= exactLimit() || wanted * 4L > estimate) {
        return table.exactSearch(q, wanted, selection);
      }
      List<VectorHit> hits = graphSearch(q, wanted, selection);
      if (hits.size() < wanted) {
        return table.exactSearch(q, wanted, selection);
      }
      return hits;
    } finally {
      readLock.unlock();
    }
  }

  /** The graph parameters this index was built with. */
  public Params params() {
    return params;
  }

  /** The beam a search without a filter uses now: the fixed one, or the size's (Params). */
  public int searchBeam() {
    int fixed = fixedBeam;
    return fixed > 0 ? fixed : params.searchBeamFor(size());
  }

  /**
   * Changes the search beam of later searches (recall against latency; for tuning runs such as
   * AnnRecall's {@code --search-beams}).
   *
   * @throws IllegalArgumentException if {@code beam} is less than 1
   */
  public void setSearchBeam(int beam) {
    if (beam < 1) {
      throw new IllegalArgumentException("search beam: expected >= 1, found " + beam);
    }
    fixedBeam = beam;
  }

  /**
   * The estimated matching count at or below which a search is exact: {@link #EXACT_LIMIT}, or a
   * fiftieth of the index if that is more (a graph search under a filter passing 2% of the entries
   * visits about as many nodes as the exact scan of that 2% scores).
   */
  private int exactLimit() {
    return exactLimit == 0 ? 0 : Math.max(exactLimit, table.size() / 50);
  }

  private List<VectorHit> graphSearch(VectorFloat<?> q, int k, EntryTable.Selection selection) {
    Bits accept = selection::accepts;
    SearchResult result;
    try (GraphSearcher searcher = new GraphSearcher(builder.getGraph())) {
      result =
          searcher.search(
              DefaultSearchScoreProvider.exact(
                  q, VectorSimilarityFunction.DOT_PRODUCT, table.vectorValues()),
              k,
              Math.max(k, fixedBeam > 0 ? fixedBeam : params.searchBeamFor(table.size())),
              0f,
              0f,
              accept);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TopHits top = new TopHits(k);
    for (SearchResult.NodeScore node : result.getNodes()) {
      if (selection.accepts(node.node)) {
        float cosine = VectorUtil.dotProduct(q, table.vector(node.node));
        long key = table.key(node.node);
        if (cosine > top.bar() || (cosine == top.bar() && top.beatsWorstOnTie(key))) {
          top.offer(cosine, key);
        }
      }
    }
    return top.drainBestFirst();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the query's length is not {@link #dimension()} or it has a
   *     non-finite component
   * @throws IllegalStateException if the index is closed
   */
  @Override
  public float similarity(float[] query, long key) {
    table.checkVector("query", query);
    readLock.lock();
    try {
      ensureOpen();
      int ordinal = table.ordinalOf(key);
      return ordinal < 0
          ? Float.NaN
          : VectorUtil.dotProduct(EntryTable.VTS.createFloatVector(query), table.vector(ordinal));
    } finally {
      readLock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One lock and one query vector for the batch. Recall asks for the cosines of up to a hundred
   * keyword candidates at once; per key, as {@link #similarity} does it, the lock and the query's
   * conversion to JVector's vector type were about a fifth of the Java samples of a 100k-memory
   * server under 8 clients (JFR), and batching them gave that server 6-9% more searches a second
   * (docs/BENCHMARKS.md, HTTP, session 8).
   *
   * @throws IllegalArgumentException as {@link #similarity} does, or if {@code out} is too short
   * @throws IllegalStateException if the index is closed
   */
  @Override
  public void similarities(float[] query, long[] keys, float[] out) {
    table.checkVector("query", query);
    if (out.length < keys.length) {
      throw new IllegalArgumentException(
          "out: expected at least " + keys.length + " floats, found " + out.length);
    }
    VectorFloat<?> q = EntryTable.VTS.createFloatVector(query);
    readLock.lock();
    try {
      ensureOpen();
      for (int i = 0; i < keys.length; i++) {
        int ordinal = table.ordinalOf(keys[i]);
        out[i] = ordinal < 0 ? Float.NaN : VectorUtil.dotProduct(q, table.vector(ordinal));
      }
    } finally {
      readLock.unlock();
    }
  }

  /** Releases the graph and the vectors. Every later call except {@link #dimension()} throws. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (!closed) {
        closed = true;
        try {
          builder.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        table.clear();
      }
    } finally {
      writeLock.unlock();
    }
  }

  // ---------------------------------------------------------------- persistence (AnnSideFile)

  /**
   * Runs {@code work} with the index write-locked after repairing the graph around retired nodes,
   * so the graph can be saved: JVector saves only a graph without pending deletions.
   */
  <T> T withQuiescedGraph(GraphWork<T> work) throws IOException {
    writeLock.lock();
    try {
      ensureOpen();
      removeRetired();
      return work.run(table, builder);
    } finally {
      writeLock.unlock();
    }
  }

  /** Work on the table and graph of a quiesced index. */
  @FunctionalInterface
  interface GraphWork<T> {
    T run(EntryTable table, GraphIndexBuilder builder) throws IOException;
  }

  /**
   * An index over {@code table} with the graph JVector saved in {@code graph} (for the side-file),
   * its edges scored as saved (see {@link SavedScores}).
   */
  @SuppressWarnings("deprecation") // GraphIndexBuilder.load: see AnnSideFile.write
  static JVectorIndex load(EntryTable table, ByteBuffer graph) throws IOException {
    JVectorIndex index = new JVectorIndex(table, EXACT_LIMIT, Params.DEFAULT);
    ByteBufferReader reader = new ByteBufferReader(graph);
    index.scores.loading(reader, graph);
    try {
      index.builder.load(reader);
    } finally {
      index.scores.loaded();
    }
    return index;
  }

  /** How many edge scores the load of this index computed instead of reading; for tests. */
  long scoresComputedDuringLoad() {
    return scores.computedDuringLoad();
  }

  /** The base-layer neighbours of {@code ordinal}, sorted; for tests of the side-file. */
  int[] neighbours(int ordinal) {
    readLock.lock();
    try {
      var it = ((OnHeapGraphIndex) builder.getGraph()).getNeighborsIterator(0, ordinal);
      int[] out = new int[it.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = it.nextInt();
      }
      Arrays.sort(out);
      return out;
    } finally {
      readLock.unlock();
    }
  }

  /** The ordinals in the graph; for tests and the side-file. */
  List<Integer> graphOrdinals() {
    readLock.lock();
    try {
      List<Integer> out = new ArrayList<>();
      var nodes = builder.getGraph().getNodes(0);
      while (nodes.hasNext()) {
        out.add(nodes.nextInt());
      }
      return out;
    } finally {
      readLock.unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("vector index is closed");
    }
  }
}
