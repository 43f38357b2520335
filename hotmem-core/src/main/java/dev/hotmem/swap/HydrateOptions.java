package dev.hotmem.swap;

import java.util.Objects;

/**
 * How {@link dev.hotmem.HotMem#hydrate} treats a swap file.
 *
 * @param skipBad false (the default): the first malformed line stops the load with an error naming
 *     its line number, and nothing of the batch it is in is stored (earlier batches stay stored);
 *     true: malformed lines are skipped and counted in {@link HydrateResult#skippedBad()}
 * @param progress receives bytes read of the file; {@link SwapProgress#NONE} by default
 */
public record HydrateOptions(boolean skipBad, SwapProgress progress) {
  public HydrateOptions {
    Objects.requireNonNull(progress, "progress");
  }

  /** Stop at the first malformed line; no progress reports. */
  public static HydrateOptions defaults() {
    return new HydrateOptions(false, SwapProgress.NONE);
  }

  public HydrateOptions withSkipBad(boolean skipBad) {
    return new HydrateOptions(skipBad, progress);
  }

  public HydrateOptions withProgress(SwapProgress progress) {
    return new HydrateOptions(skipBad, progress);
  }
}
