package dev.hotmem.internal.engine;

/**
 * How busy recalls keep the cores: the wall time recalls spent in the last window, over the window
 * times the cores. One recall at a time at 100 per second of 4 ms each reads 0.2 on 2 cores; a
 * saturated server reads about 1 or more.
 *
 * <p>Implementation notes. Counting the recalls in flight is not enough: when callers run recalls
 * on virtual threads only as many run as there are carriers, and the requests waiting for one are
 * not recalls yet, so a saturated caller shows 2 in flight on 2 cores. Busy time shows the
 * saturation whichever threads run the recalls. Thread-safe; a short lock per recall.
 */
final class LoadMeter {
  static final long WINDOW_NANOS = 100_000_000L;

  private final int cores;
  private long windowStart = System.nanoTime();
  private long busyNanos;
  private volatile double utilisation;

  LoadMeter(int cores) {
    this.cores = Math.max(1, cores);
  }

  /** Records a recall that took {@code nanos} and ended now. */
  void record(long nanos) {
    long now = System.nanoTime();
    synchronized (this) {
      busyNanos += nanos;
      long elapsed = now - windowStart;
      if (elapsed >= WINDOW_NANOS) {
        utilisation = (double) busyNanos / ((double) elapsed * cores);
        busyNanos = 0;
        windowStart = now;
      }
    }
  }

  /**
   * The utilisation the last full window measured; 0 if no window has ended since a quiet spell (a
   * window that ended long ago says nothing of now).
   */
  double utilisation() {
    long since;
    synchronized (this) {
      since = System.nanoTime() - windowStart;
    }
    return since > 2 * WINDOW_NANOS ? 0 : utilisation;
  }
}
