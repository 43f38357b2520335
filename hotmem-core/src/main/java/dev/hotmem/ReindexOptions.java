package dev.hotmem;

import dev.hotmem.swap.SwapProgress;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link HotMem#reindex} works through a store.
 *
 * @param batchSize memories embedded per model call and written per transaction, 1 to {@value
 *     #MAX_BATCH_SIZE}; {@value #DEFAULT_BATCH_SIZE} by default
 * @param progress receives memories converted so far (those kept from an interrupted run included)
 *     and the total; {@link SwapProgress#NONE} by default
 * @param busyTimeout how long a write waits for another process's writer; 5 s by default
 */
public record ReindexOptions(int batchSize, SwapProgress progress, Duration busyTimeout) {
  public static final int DEFAULT_BATCH_SIZE = 256;
  public static final int MAX_BATCH_SIZE = 10_000;

  /**
   * @throws HotMemException.InvalidRequest if the batch size is out of range or the timeout
   *     negative
   */
  public ReindexOptions {
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new HotMemException.InvalidRequest(
          "batch_size", "must be between 1 and " + MAX_BATCH_SIZE + "; found " + batchSize);
    }
    if (busyTimeout.isNegative()) {
      throw new HotMemException.InvalidRequest(
          "busy_timeout", "must not be negative; found " + busyTimeout);
    }
  }

  /** Batches of {@value #DEFAULT_BATCH_SIZE}, no progress reports, a 5 s busy timeout. */
  public static ReindexOptions defaults() {
    return new ReindexOptions(DEFAULT_BATCH_SIZE, SwapProgress.NONE, Duration.ofSeconds(5));
  }

  public ReindexOptions withBatchSize(int batchSize) {
    return new ReindexOptions(batchSize, progress, busyTimeout);
  }

  public ReindexOptions withProgress(SwapProgress progress) {
    return new ReindexOptions(batchSize, progress, busyTimeout);
  }

  public ReindexOptions withBusyTimeout(Duration busyTimeout) {
    return new ReindexOptions(batchSize, progress, busyTimeout);
  }
}
