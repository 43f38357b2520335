package dev.hotmem.swap;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import java.nio.file.Path;

/**
 * Run in a child JVM with a small heap by {@link HydrateStreamingTest}: hydrates a swap file into a
 * new store and prints the result and the peak heap use.
 */
public final class HydrateInSmallHeap {
  private HydrateInSmallHeap() {}

  public static void main(String[] args) {
    // This measures the streaming of the swap file, so the vector index stays exact: a graph index
    // needs memory in proportion to the store (about 0.5 KiB a vector beyond the vector itself).
    HotMemConfig config =
        HotMemConfig.builder(Path.of(args[0])).annThreshold(Integer.MAX_VALUE).build();
    try (HotMem mem = HotMem.open(config)) {
      HydrateResult r = mem.hydrate(Path.of(args[1]), HydrateOptions.defaults());
      long peak = 0;
      for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == java.lang.management.MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.println(
          "loaded="
              + r.loaded()
              + " count="
              + mem.count()
              + " maxHeap="
              + Runtime.getRuntime().maxMemory()
              + " peakHeap="
              + peak);
    }
  }
}
