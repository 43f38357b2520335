package dev.hotmem.internal.index;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * {@link #SIZE} slots of an {@link ExactVectorIndex}: their vectors stored dimension-major, their
 * filterable attributes in primitive arrays, and the two phases of a search over them (score every
 * slot, then select). Not thread-safe; the index guards it.
 *
 * <p>Implementation notes: {@code columns[d][i]} holds dimension {@code d} of slot {@code i}, one
 * array per dimension, so that scoring is a run of {@code acc[i] += q[d] * columns[d][i]} loops
 * over whole arrays, which HotSpot C2 vectorises (SuperWord); see {@link ExactVectorIndex} for why
 * and for the measurements. A free slot has namespace id {@link #FREE}; no filter resolves to that
 * id, so the namespace compare in {@link #select} also skips free slots without a separate flag.
 */
final class VectorBlock {
  /** Slots per block. 1024 measured fastest of 256..4096 (see {@link ExactVectorIndex}). */
  static final int SIZE = 1024;

  /** The namespace id of a free slot. */
  static final int FREE = -1;

  private final float[][] columns;
  // The same vectors slot-major (slot i at [i * dimension, (i + 1) * dimension)), for dot products
  // with single slots: in columns one slot's components sit in as many cache lines (and pages) as
  // there are dimensions, here in dimension / 16 consecutive lines.
  private final float[] rows;
  private final long[] keys = new long[SIZE];
  private final int[] namespaceIds = new int[SIZE];
  private final int[] identifierIds = new int[SIZE];
  private final byte[] statuses = new byte[SIZE];
  private int live;

  // Bit (id & 63) is set if some live slot may have that namespace (identifier) id. Bits are only
  // cleared when the block empties, so a set bit may be stale but a clear bit is certain, which is
  // all skipping a block needs.
  private long namespaceBits;
  private long identifierBits;

  VectorBlock(int dimension) {
    columns = new float[dimension][SIZE];
    rows = new float[SIZE * dimension];
    Arrays.fill(namespaceIds, FREE);
  }

  /** How many slots hold an entry. */
  int live() {
    return live;
  }

  /** Stores an entry in a free or occupied slot. */
  void set(int slot, long key, float[] vector, int namespaceId, int identifierId, int status) {
    for (int d = 0; d < columns.length; d++) {
      columns[d][slot] = vector[d];
    }
    System.arraycopy(vector, 0, rows, slot * columns.length, columns.length);
    if (namespaceIds[slot] == FREE) {
      live++;
    }
    keys[slot] = key;
    namespaceIds[slot] = namespaceId;
    identifierIds[slot] = identifierId;
    statuses[slot] = (byte) status;
    namespaceBits |= bit(namespaceId);
    identifierBits |= bit(identifierId);
  }

  void setStatus(int slot, int status) {
    statuses[slot] = (byte) status;
  }

  /** Frees an occupied slot. Its vector stays behind, scored but never selected. */
  void free(int slot) {
    namespaceIds[slot] = FREE;
    if (--live == 0) {
      namespaceBits = 0;
      identifierBits = 0;
    }
  }

  /** Calls {@code sink} with each live slot's key, vector (a copy) and attribute ids. */
  void forEachLive(SlotSink sink) {
    for (int slot = 0; slot < SIZE; slot++) {
      if (namespaceIds[slot] != FREE) {
        float[] vector = new float[columns.length];
        for (int d = 0; d < vector.length; d++) {
          vector[d] = columns[d][slot];
        }
        sink.accept(keys[slot], vector, namespaceIds[slot], identifierIds[slot], statuses[slot]);
      }
    }
  }

  /** Receives one live slot. */
  @FunctionalInterface
  interface SlotSink {
    void accept(long key, float[] vector, int namespaceId, int identifierId, int status);
  }

  /** The dot product of {@code query} with the vector in {@code slot}. */
  float dot(float[] query, int slot) {
    int dimension = columns.length;
    int base = slot * dimension;
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int d = 0;
    for (; d + 4 <= dimension; d += 4) {
      s0 += query[d] * rows[base + d];
      s1 += query[d + 1] * rows[base + d + 1];
      s2 += query[d + 2] * rows[base + d + 2];
      s3 += query[d + 3] * rows[base + d + 3];
    }
    for (; d < dimension; d++) {
      s0 += query[d] * rows[base + d];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * Whether some live slot may pass {@code filter}; false means the block can be skipped without
   * scoring it.
   */
  boolean mayMatch(ResolvedFilter filter) {
    return live > 0
        && (namespaceBits & bit(filter.namespaceId())) != 0
        && (filter.identifierId() == ResolvedFilter.ANY
            || (identifierBits & bit(filter.identifierId())) != 0);
  }

  /**
   * Writes the dot product of {@code query} with every slot's vector (free slots included) into
   * {@code out}. Eight dimensions per pass over {@code out}: one dimension per pass measured about
   * 1.6x slower at 64 dimensions, its accumulator loads and stores costing as much as the data.
   */
  void score(float[] query, float[] out) {
    Arrays.fill(out, 0f);
    int dimension = columns.length;
    int d = 0;
    for (; d + 8 <= dimension; d += 8) {
      float q0 = query[d];
      float q1 = query[d + 1];
      float q2 = query[d + 2];
      float q3 = query[d + 3];
      float q4 = query[d + 4];
      float q5 = query[d + 5];
      float q6 = query[d + 6];
      float q7 = query[d + 7];
      float[] c0 = columns[d];
      float[] c1 = columns[d + 1];
      float[] c2 = columns[d + 2];
      float[] c3 = columns[d + 3];
      float[] c4 = columns[d + 4];
      float[] c5 = columns[d + 5];
      float[] c6 = columns[d + 6];
      float[] c7 = columns[d + 7];
      for (int i = 0; i < SIZE; i++) {
        out[i] +=
            (q0 * c0[i] + q1 * c1[i] + q2 * c2[i] + q3 * c3[i])
                + (q4 * c4[i] + q5 * c5[i] + q6 * c6[i] + q7 * c7[i]);
      }
    }
    for (; d < dimension; d++) {
      float q = query[d];
      float[] c = columns[d];
      for (int i = 0; i < SIZE; i++) {
        out[i] += q * c[i];
      }
    }
  }

  /**
   * Offers to {@code top} every live slot that {@code filter} accepts and whose score in {@code
   * cosines} (from {@link #score}) beats the worst kept hit. The score is compared first because
   * after the first blocks almost every slot fails it; the caller's predicate runs last.
   */
  void select(float[] cosines, ResolvedFilter filter, TopHits top) {
    int namespaceId = filter.namespaceId();
    int identifierId = filter.identifierId();
    int statusMask = filter.statusMask();
    LongPredicate allowedKeys = filter.allowedKeys();
    float bar = top.bar();
    for (int i = 0; i < SIZE; i++) {
      float cosine = cosines[i];
      if (!(cosine >= bar)
          || namespaceIds[i] != namespaceId
          || (identifierId != ResolvedFilter.ANY && identifierIds[i] != identifierId)
          || (statusMask & (1 << statuses[i])) == 0) {
        continue;
      }
      long key = keys[i];
      if ((cosine == bar && !top.beatsWorstOnTie(key))
          || (allowedKeys != null && !allowedKeys.test(key))) {
        continue;
      }
      top.offer(cosine, key);
      bar = top.bar();
    }
  }

  private static long bit(int id) {
    return 1L << (id & 63);
  }
}
