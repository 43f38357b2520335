package dev.hotmem.internal.search;

/**
 * The best {@code k} (score, key) pairs offered: a binary min-heap on parallel primitive arrays
 * whose root is the worst pair kept. Ties between equal scores go to the newer key or to the older
 * one, as the caller asks.
 */
final class TopScores {
  private final long[] keys;
  private final double[] scores;
  private final boolean newerFirst;
  private int size;

  /**
   * @param newerFirst which of two rows with the same score ranks first: the newer, or the older
   */
  TopScores(int k, boolean newerFirst) {
    keys = new long[k];
    scores = new double[k];
    this.newerFirst = newerFirst;
  }

  /** Whether (sa, ka) ranks below (sb, kb): a lower score, or the same and the tie lost. */
  private boolean below(double sa, long ka, double sb, long kb) {
    return sa < sb || (sa == sb && (newerFirst ? ka < kb : ka > kb));
  }

  void offer(long key, double score) {
    if (keys.length == 0) {
      return;
    }
    if (size < keys.length) {
      int i = size++;
      keys[i] = key;
      scores[i] = score;
      while (i > 0) {
        int parent = (i - 1) / 2;
        if (!below(scores[i], keys[i], scores[parent], keys[parent])) {
          break;
        }
        swap(i, parent);
        i = parent;
      }
    } else if (below(scores[0], keys[0], score, key)) {
      keys[0] = key;
      scores[0] = score;
      siftDown(0);
    }
  }

  private void siftDown(int i) {
    while (true) {
      int l = 2 * i + 1;
      int r = l + 1;
      int least = i;
      if (l < size && below(scores[l], keys[l], scores[least], keys[least])) {
        least = l;
      }
      if (r < size && below(scores[r], keys[r], scores[least], keys[least])) {
        least = r;
      }
      if (least == i) {
        return;
      }
      swap(i, least);
      i = least;
    }
  }

  private void swap(int a, int b) {
    long k = keys[a];
    keys[a] = keys[b];
    keys[b] = k;
    double s = scores[a];
    scores[a] = scores[b];
    scores[b] = s;
  }

  /** Best first; empties the heap. */
  KeywordIndex.Hits sorted() {
    int n = size;
    long[] outKeys = new long[n];
    double[] outScores = new double[n];
    for (int i = n - 1; i >= 0; i--) { // the root is the worst kept: pop it to the back
      outKeys[i] = keys[0];
      outScores[i] = scores[0];
      size--;
      keys[0] = keys[size];
      scores[0] = scores[size];
      siftDown(0);
    }
    return new KeywordIndex.Hits(outKeys, outScores);
  }
}
