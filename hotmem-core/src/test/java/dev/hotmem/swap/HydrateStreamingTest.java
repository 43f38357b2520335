package dev.hotmem.swap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hydrate streams: a swap file larger than the whole heap loads in a child JVM. */
class HydrateStreamingTest {
  private static final int HEAP_MB = 32;
  private static final int LINES = 24_000;

  @TempDir Path dir;

  @Test
  void aSwapFileLargerThanTheHeapLoadsWithConstantMemory() throws Exception {
    Path file = dir.resolve("big.jsonl");
    String padding = "lorem ipsum dolor sit amet consectetur ".repeat(45);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < LINES; i++) {
        w.write("{\"identifier\": \"big\", \"content\": \"fact ");
        w.write(Integer.toString(i));
        w.write(' ');
        w.write(padding);
        w.write("\"}\n");
      }
    }
    long fileBytes = Files.size(file);
    assertThat(fileBytes).isGreaterThan(HEAP_MB * 1024L * 1024L + (8L << 20));

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx" + HEAP_MB + "m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    HydrateInSmallHeap.class.getName(),
                    dir.resolve("big.sqlite").toString(),
                    file.toString()))
            .redirectErrorStream(true)
            .start();
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(done).as("child finished in time; output:%n%s", out).isTrue();
    assertThat(p.exitValue()).as("child exit; output:%n%s", out).isZero();
    assertThat(out).contains("loaded=" + LINES + " count=" + LINES);
    // The heap the child really had is the bound: the whole file could never have been in it.
    // (The sum of the heap pools' peaks, also printed, is no bound: each pool peaks at another
    // moment, and the sum can exceed the heap itself.)
    long maxHeap = Long.parseLong(out.replaceAll("(?s).*maxHeap=(\\d+).*", "$1"));
    assertThat(maxHeap).isLessThanOrEqualTo(HEAP_MB * 1024L * 1024L).isLessThan(fileBytes);
  }
}
