package dev.hotmem.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** One line describing the machine a benchmark ran on, for honest reports. */
final class Machine {
  private Machine() {}

  static String describe() {
    String cpu = "unknown CPU";
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      cpu =
          lines
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse(cpu);
    } catch (Exception e) {
      // not Linux: keep "unknown CPU"
    }
    return String.format(
        "machine: %s, %d cores, %s %s, JDK %s (%s), max heap %d MiB",
        cpu,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() >> 20);
  }
}
