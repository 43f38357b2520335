package dev.hotmem.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that loading and using the local models touches no network: a child JVM ({@link
 * NoNetworkProbe}) records every connection attempt. The control run turns DJL's offline mode off
 * explicitly and shows the recorder does catch DJL's real call home, so the silence of the first
 * run means something.
 */
class NoNetworkTest {

  private record Run(int exit, List<String> lines) {
    List<String> attempts() {
      return lines.stream().filter(l -> l.startsWith("NETWORK ")).toList();
    }
  }

  private static Run probe(Path home, List<String> jvmFlags, String... specs)
      throws IOException, InterruptedException {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djava.io.tmpdir=" + home.resolve("tmp"));
    command.add("-Duser.home=" + home);
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(classPath);
    command.add(NoNetworkProbe.class.getName());
    command.addAll(List.of(specs));
    Files.createDirectories(home.resolve("tmp"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("DJL_OFFLINE");
    pb.environment().remove("OPT_OUT_TRACKING");
    pb.environment().put("DJL_CACHE_DIR", home.resolve("djl").toString());
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("probe did not finish in 180 s");
    }
    List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
    return new Run(p.exitValue(), lines);
  }

  @Test
  void loadingAndEmbeddingWithBothModelsTouchesNoNetwork(@TempDir Path home) throws Exception {
    Run run = probe(home, List.of(), "local:bge-small-en-v1.5", "local:all-minilm-l6-v2");

    assertThat(run.exit()).as("probe output: %s", run.lines()).isZero();
    assertThat(run.lines()).as("probe output").contains("EMBEDDED 6 384");
    assertThat(run.attempts()).isEmpty();
    // The tokenizer's native library is extracted under DJL_CACHE_DIR (as docs/EMBEDDERS.md says).
    try (Stream<Path> files = Files.walk(home.resolve("djl"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .anyMatch(n -> n.contains("tokenizers"));
    }
  }

  @Test
  void theRecorderCatchesDjlCallingHomeWhenOfflineModeIsTurnedOff(@TempDir Path home)
      throws Exception {
    Run run =
        probe(
            home,
            List.of("-Dai.djl.offline=false", "-DOPT_OUT_TRACKING=false"),
            "local:all-minilm-l6-v2");

    assertThat(run.exit()).as("probe output: %s", run.lines()).isZero();
    assertThat(run.attempts()).isNotEmpty().anyMatch(a -> a.contains("169.254.169.254"));
  }
}
