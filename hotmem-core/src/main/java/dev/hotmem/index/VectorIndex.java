package dev.hotmem.index;

import dev.hotmem.MemoryStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Nearest-neighbour search over the stored embeddings, filtered by the attributes of {@link
 * VectorEntry}. An index is derived state: SQLite is the source of truth and the engine can always
 * rebuild an index from it.
 *
 * <p>Implementations must be safe for concurrent searches with one writer at a time (the engine
 * serialises writes). Every implementation passes {@code VectorIndexContractTest}.
 */
public interface VectorIndex extends AutoCloseable {

  /** The dimension of every vector in the index. */
  int dimension();

  /** How many entries the index holds. */
  int size();

  /** Adds an entry, or replaces the vector and attributes of the entry with the same key. */
  void upsert(VectorEntry entry);

  /**
   * Adds or replaces several entries, as {@link #upsert} would one by one. An index may add them
   * faster together (the ANN index inserts a batch into its graph on several threads); this default
   * adds them one by one.
   */
  default void upsertAll(List<VectorEntry> entries) {
    for (VectorEntry entry : entries) {
      upsert(entry);
    }
  }

  /** Changes an entry's status; does nothing if the key is absent. */
  void setStatus(long key, MemoryStatus status);

  /** Removes an entry; does nothing if the key is absent. */
  void remove(long key);

  /** Whether an entry with this key is present. */
  boolean contains(long key);

  /** The largest key ever added, or 0 if none. Lets the engine catch up on rows added elsewhere. */
  long maxKey();

  /**
   * The {@code k} entries most similar to {@code query} among those {@code filter} accepts, best
   * first; fewer if fewer match.
   *
   * @param query an L2-normalised vector of {@link #dimension()} floats
   * @param k at least 1
   */
  List<VectorHit> search(float[] query, int k, VectorFilter filter);

  /**
   * Runs several searches at once; answer {@code i} is what {@link #search} would answer for query
   * {@code i}. An index may share work between the queries (the exact index scans its vectors once
   * for the whole batch); this default runs them one by one.
   */
  default List<List<VectorHit>> searchAll(List<VectorQuery> queries) {
    List<List<VectorHit>> out = new ArrayList<>(queries.size());
    for (VectorQuery q : queries) {
      out.add(search(q.vector(), q.k(), q.filter()));
    }
    return out;
  }

  /**
   * The cosine similarity of {@code query} to the entry with this key, or {@link Float#NaN} if the
   * key is absent. Lets the engine score keyword-only candidates on both signals.
   */
  float similarity(float[] query, long key);

  /**
   * {@link #similarity} for several keys at once: {@code out[i]} becomes the similarity of {@code
   * query} to {@code keys[i]}, or {@link Float#NaN} if that key is absent. An index may answer the
   * batch under one lock and one check of the query; this default calls {@link #similarity} per
   * key.
   *
   * @param out at least {@code keys.length} long
   */
  default void similarities(float[] query, long[] keys, float[] out) {
    if (out.length < keys.length) {
      throw new IllegalArgumentException(
          "out: expected at least " + keys.length + " floats, found " + out.length);
    }
    for (int i = 0; i < keys.length; i++) {
      out[i] = similarity(query, keys[i]);
    }
  }

  /** Releases resources; the index is unusable afterwards. */
  @Override
  void close();
}
