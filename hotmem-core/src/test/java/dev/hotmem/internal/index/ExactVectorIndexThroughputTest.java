package dev.hotmem.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.MemoryStatus;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Search latency of {@link ExactVectorIndex} at 100,000 vectors, next to the naive scan it replaces
 * (a per-vector dot product unrolled into 8 accumulators over one flat array), with the same
 * namespace filter and top-k selection. Prints the figures; asserts only that both scans agree, so
 * it cannot fail on a slow machine. Takes about 3 s; the figures quoted in ExactVectorIndex's
 * implementation notes come from here and from its exploratory variants.
 */
@Tag("throughput")
class ExactVectorIndexThroughputTest {
  private static final int COUNT = 100_000;
  private static final int K = 10;

  @Test
  void searchAt64Dimensions() {
    measure(64, 30, 40);
  }

  @Test
  void searchAt384Dimensions() {
    measure(384, 10, 15);
  }

  private static void measure(int dimension, int warmups, int runs) {
    SplittableRandom random = new SplittableRandom(dimension);
    float[] flat = new float[COUNT * dimension];
    int[] namespaceOf = new int[COUNT];
    try (ExactVectorIndex index = new ExactVectorIndex(dimension)) {
      long buildStart = System.nanoTime();
      for (int i = 0; i < COUNT; i++) {
        float[] v = randomUnit(random, dimension);
        System.arraycopy(v, 0, flat, i * dimension, dimension);
        // Two interleaved namespaces: every block holds both, so the filter skips no block.
        namespaceOf[i] = i % 2;
        index.upsert(new VectorEntry(i, v, "ns" + i % 2, "me", MemoryStatus.ACTIVE));
      }
      long buildNanos = System.nanoTime() - buildStart;
      VectorFilter filter = new VectorFilter("ns0", null, Set.of(MemoryStatus.ACTIVE), null);

      long[] indexNanos = new long[runs];
      long[] naiveNanos = new long[runs];
      for (int run = -warmups; run < runs; run++) {
        float[] query = randomUnit(random, dimension);
        long start = System.nanoTime();
        List<VectorHit> hits = index.search(query, K, filter);
        long middle = System.nanoTime();
        List<VectorHit> naive = naiveSearch(flat, namespaceOf, dimension, query);
        long end = System.nanoTime();
        if (run >= 0) {
          indexNanos[run] = middle - start;
          naiveNanos[run] = end - middle;
        }
        assertThat(hits).extracting(VectorHit::key).isEqualTo(keys(naive));
        assertThat(hits).allMatch(hit -> hit.key() % 2 == 0);
      }
      System.out.printf(
          "%d x %d, namespace filter (half the entries), k=%d: blocked index p50 %.3f ms (min"
              + " %.3f); naive 8-accumulator scan p50 %.3f ms (min %.3f); built in %d ms; %s%n",
          COUNT,
          dimension,
          K,
          median(indexNanos) / 1e6,
          min(indexNanos) / 1e6,
          median(naiveNanos) / 1e6,
          min(naiveNanos) / 1e6,
          buildNanos / 1_000_000,
          Runtime.version());
    }
  }

  private static List<VectorHit> naiveSearch(
      float[] flat, int[] namespaceOf, int dimension, float[] query) {
    TopHits top = new TopHits(K);
    for (int i = 0; i < namespaceOf.length; i++) {
      float cosine = dot8(query, flat, i * dimension, dimension);
      if (cosine > top.bar() && namespaceOf[i] == 0) {
        top.offer(cosine, i);
      }
    }
    return top.drainBestFirst();
  }

  private static float dot8(float[] query, float[] flat, int offset, int dimension) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    float s4 = 0;
    float s5 = 0;
    float s6 = 0;
    float s7 = 0;
    for (int d = 0; d + 8 <= dimension; d += 8) {
      s0 += query[d] * flat[offset + d];
      s1 += query[d + 1] * flat[offset + d + 1];
      s2 += query[d + 2] * flat[offset + d + 2];
      s3 += query[d + 3] * flat[offset + d + 3];
      s4 += query[d + 4] * flat[offset + d + 4];
      s5 += query[d + 5] * flat[offset + d + 5];
      s6 += query[d + 6] * flat[offset + d + 6];
      s7 += query[d + 7] * flat[offset + d + 7];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  private static List<Long> keys(List<VectorHit> hits) {
    return hits.stream().map(VectorHit::key).toList();
  }

  private static float[] randomUnit(SplittableRandom random, int dimension) {
    float[] v = new float[dimension];
    double norm = 0;
    for (int d = 0; d < dimension; d++) {
      v[d] = (float) (random.nextDouble() - 0.5);
      norm += (double) v[d] * v[d];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < dimension; d++) {
      v[d] *= scale;
    }
    return v;
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double min(long[] nanos) {
    return Arrays.stream(nanos).min().orElseThrow();
  }
}
