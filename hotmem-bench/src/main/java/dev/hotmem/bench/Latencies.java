package dev.hotmem.bench;

import java.util.Arrays;

/** Collects durations in nanoseconds and reports percentiles in milliseconds. */
final class Latencies {
  private long[] nanos = new long[1024];
  private int n;

  void add(long durationNanos) {
    if (n == nanos.length) {
      nanos = Arrays.copyOf(nanos, n * 2);
    }
    nanos[n++] = durationNanos;
  }

  /** The {@code i}th duration added, in nanoseconds. */
  long nanos(int i) {
    return nanos[i];
  }

  int count() {
    return n;
  }

  /** The {@code p}th percentile (nearest rank), in milliseconds. */
  double percentileMs(double p) {
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * n);
    return sorted[Math.max(0, Math.min(n - 1, rank - 1))] / 1e6;
  }
}
