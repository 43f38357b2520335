package dev.hotmem.swap;

import java.util.Objects;

/**
 * How {@link dev.hotmem.HotMem#snapshot} writes a swap file.
 *
 * @param includeEmbeddings write each memory's vector (base64 float32), so hydrating into a store
 *     with the same embedder needs no model call; true by default
 * @param progress receives memories written and the total; {@link SwapProgress#NONE} by default
 */
public record SnapshotOptions(boolean includeEmbeddings, SwapProgress progress) {
  public SnapshotOptions {
    Objects.requireNonNull(progress, "progress");
  }

  /** With embeddings; no progress reports. */
  public static SnapshotOptions defaults() {
    return new SnapshotOptions(true, SwapProgress.NONE);
  }

  public SnapshotOptions withIncludeEmbeddings(boolean includeEmbeddings) {
    return new SnapshotOptions(includeEmbeddings, progress);
  }

  public SnapshotOptions withProgress(SwapProgress progress) {
    return new SnapshotOptions(includeEmbeddings, progress);
  }
}
