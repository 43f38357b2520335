package dev.hotmem.server;

import dev.hotmem.HotMem;
import java.nio.file.Path;

/** The server's calls into the engine's swap-file API (contract A). */
final class SwapOps {
  record Hydrated(long loaded, long skippedDupes, long skippedBad) {}

  record Snapshotted(long exported, Path path) {}

  private SwapOps() {}

  static Hydrated hydrate(HotMem hotMem, Path file, boolean skipBad) {
    throw new ApiError(501, "not_implemented", null, "hydrate is not available yet");
  }

  static Snapshotted snapshot(HotMem hotMem, Path file, boolean includeEmbeddings) {
    throw new ApiError(501, "not_implemented", null, "snapshot is not available yet");
  }
}
