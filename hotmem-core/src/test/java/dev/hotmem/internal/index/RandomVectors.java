package dev.hotmem.internal.index;

import java.util.Random;

/** Random vectors for the index tests. */
final class RandomVectors {
  private RandomVectors() {}

  /** A random direction of {@code dimension} components, of length 1 (Gaussian components). */
  static float[] unit(Random random, int dimension) {
    float[] v = new float[dimension];
    double norm = 0;
    for (int d = 0; d < dimension; d++) {
      v[d] = (float) random.nextGaussian();
      norm += v[d] * v[d];
    }
    for (int d = 0; d < dimension; d++) {
      v[d] = (float) (v[d] / Math.sqrt(norm));
    }
    return v;
  }
}
