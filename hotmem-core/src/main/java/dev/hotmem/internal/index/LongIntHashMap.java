package dev.hotmem.internal.index;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} keys to non-negative {@code int} values, so that the
 * vector index can find a key's slot without boxing. Not thread-safe.
 *
 * <p>Implementation notes: linear probing over parallel {@code long[]}/{@code int[]} tables whose
 * capacity is a power of two, kept at most half full so that a miss stays a few probes long. A
 * value of {@link #ABSENT} marks an empty cell, which is why values must be non-negative, and frees
 * every {@code long} (including 0) to be a key. Removal shifts the following entries of the probe
 * run back instead of leaving tombstones (Knuth, TAOCP vol. 3, 6.4, Algorithm R), so lookups never
 * slow down after many removals. The hash is a Fibonacci multiply taking the high bits, which
 * spreads sequential row keys (the common case) evenly.
 */
final class LongIntHashMap {
  /** What {@link #get} and {@link #remove} return for a key that is not in the map. */
  static final int ABSENT = -1;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final int MIN_CAPACITY = 16;

  private long[] keys;
  private int[] values;
  private int shift;
  private int size;

  LongIntHashMap() {
    allocate(MIN_CAPACITY);
  }

  /** The number of keys in the map. */
  int size() {
    return size;
  }

  /** The value of {@code key}, or {@link #ABSENT}. */
  int get(long key) {
    int mask = values.length - 1;
    for (int i = index(key); ; i = (i + 1) & mask) {
      int value = values[i];
      if (value == ABSENT || keys[i] == key) {
        return value;
      }
    }
  }

  /**
   * Maps {@code key} to {@code value}, replacing any previous value.
   *
   * @param value at least 0
   * @return the previous value, or {@link #ABSENT}
   */
  int put(long key, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("value: expected >= 0, found " + value);
    }
    int mask = values.length - 1;
    int i = index(key);
    for (; values[i] != ABSENT; i = (i + 1) & mask) {
      if (keys[i] == key) {
        int previous = values[i];
        values[i] = value;
        return previous;
      }
    }
    keys[i] = key;
    values[i] = value;
    if (++size > values.length >>> 1) {
      rehash(values.length << 1);
    }
    return ABSENT;
  }

  /** Removes {@code key}; returns its value, or {@link #ABSENT} if it was not in the map. */
  int remove(long key) {
    int mask = values.length - 1;
    int i = index(key);
    for (; values[i] != ABSENT; i = (i + 1) & mask) {
      if (keys[i] == key) {
        int previous = values[i];
        shiftBack(i, mask);
        size--;
        return previous;
      }
    }
    return ABSENT;
  }

  /**
   * Empties cell {@code hole} by moving back each later entry of its probe run whose home cell is
   * cyclically at or before the hole, so that every remaining key stays reachable from its home.
   */
  private void shiftBack(int hole, int mask) {
    for (int j = (hole + 1) & mask; values[j] != ABSENT; j = (j + 1) & mask) {
      int home = index(keys[j]);
      // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
      boolean homeAfterHole = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!homeAfterHole) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    values[hole] = ABSENT;
  }

  private int index(long key) {
    return (int) ((key * GOLDEN) >>> shift);
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    values = new int[capacity];
    Arrays.fill(values, ABSENT);
    shift = Long.numberOfLeadingZeros(capacity - 1L);
  }

  private void rehash(int capacity) {
    long[] oldKeys = keys;
    int[] oldValues = values;
    allocate(capacity);
    int mask = capacity - 1;
    for (int j = 0; j < oldValues.length; j++) {
      if (oldValues[j] != ABSENT) {
        int i = index(oldKeys[j]);
        while (values[i] != ABSENT) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
  }
}
