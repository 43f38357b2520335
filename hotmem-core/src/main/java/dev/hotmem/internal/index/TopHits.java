package dev.hotmem.internal.index;

import dev.hotmem.index.VectorHit;
import java.util.List;

/**
 * The best {@code capacity} (cosine, key) pairs offered so far: a binary min-heap on parallel
 * primitive arrays whose root is the worst pair kept, so a candidate is rejected with one compare
 * against {@link #bar()}.
 *
 * <p>Order: a higher cosine is better; between equal cosines the smaller key is better. The total
 * order makes the result independent of the order in which entries are offered, so the same data
 * gives the same hits whatever slots it happens to occupy.
 */
final class TopHits {
  private final float[] cosines;
  private final long[] keys;
  private int size;

  TopHits(int capacity) {
    cosines = new float[capacity];
    keys = new long[capacity];
  }

  /**
   * The cosine a candidate must reach to be {@linkplain #offer offered}: negative infinity until
   * the heap is full, then the worst kept cosine (a candidate equal to it also needs {@link
   * #beatsWorstOnTie}).
   */
  float bar() {
    return size < cosines.length ? Float.NEGATIVE_INFINITY : cosines[0];
  }

  /** Whether {@code key} beats the worst kept pair when their cosines are equal. */
  boolean beatsWorstOnTie(long key) {
    return size < cosines.length || key < keys[0];
  }

  /**
   * Keeps (cosine, key), evicting the worst pair if full. The caller has checked that the pair
   * beats the worst kept one ({@link #bar}, {@link #beatsWorstOnTie}).
   */
  void offer(float cosine, long key) {
    if (size < cosines.length) {
      int i = size++;
      // Sift up.
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!worse(cosine, key, cosines[parent], keys[parent])) {
          break;
        }
        cosines[i] = cosines[parent];
        keys[i] = keys[parent];
        i = parent;
      }
      cosines[i] = cosine;
      keys[i] = key;
    } else {
      siftDown(0, cosine, key);
    }
  }

  /** Removes every pair and returns them best first. */
  List<VectorHit> drainBestFirst() {
    VectorHit[] hits = new VectorHit[size];
    while (size > 0) {
      hits[size - 1] = new VectorHit(keys[0], cosines[0]);
      int last = --size;
      if (last > 0) {
        siftDown(0, cosines[last], keys[last]);
      }
    }
    return List.of(hits);
  }

  /** Places (cosine, key) at {@code i} or below, moving the worse child up each step. */
  private void siftDown(int i, float cosine, long key) {
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && worse(cosines[right], keys[right], cosines[child], keys[child])) {
        child = right;
      }
      if (!worse(cosines[child], keys[child], cosine, key)) {
        break;
      }
      cosines[i] = cosines[child];
      keys[i] = keys[child];
      i = child;
    }
    cosines[i] = cosine;
    keys[i] = key;
  }

  private static boolean worse(float cosineA, long keyA, float cosineB, long keyB) {
    return cosineA < cosineB || (cosineA == cosineB && keyA > keyB);
  }
}
