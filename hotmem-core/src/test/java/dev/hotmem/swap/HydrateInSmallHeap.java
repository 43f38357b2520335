package dev.hotmem.swap;

import dev.hotmem.HotMem;
import java.nio.file.Path;

/**
 * Run in a child JVM with a small heap by {@link HydrateStreamingTest}: hydrates a swap file into a
 * new store and prints the result and the peak heap use.
 */
public final class HydrateInSmallHeap {
  private HydrateInSmallHeap() {}

  public static void main(String[] args) {
    try (HotMem mem = HotMem.open(Path.of(args[0]))) {
      HydrateResult r = mem.hydrate(Path.of(args[1]), HydrateOptions.defaults());
      long peak = 0;
      for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == java.lang.management.MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.println("loaded=" + r.loaded() + " count=" + mem.count() + " peakHeap=" + peak);
    }
  }
}
