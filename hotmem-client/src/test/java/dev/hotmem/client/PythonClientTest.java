package dev.hotmem.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.hotmem.HotMem;
import dev.hotmem.server.HotMemServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Python client's own test suite ({@code clients/python/test_hotmem_client.py}) with
 * {@code python3} against the real server: one plain server and one with a token, over a real
 * SQLite file on ephemeral loopback ports. Fails (never skips) when {@code python3} is missing.
 */
class PythonClientTest {
  private static final long PYTHON_TIMEOUT_SECONDS = 120;

  /** The interpreter: {@code python3}, or the one {@code HOTMEM_PYTHON} names. */
  private static final String PYTHON = System.getenv().getOrDefault("HOTMEM_PYTHON", "python3");

  @TempDir Path dir;

  @Test
  void thePythonSuitePassesAgainstTheRealServer() throws Exception {
    Path clientDir = pythonClientDir();
    String token = "py-" + UUID.randomUUID();
    try (HotMem hotMem = HotMem.open(dir.resolve("py.sqlite"));
        HotMemServer server =
            HotMemServer.builder(hotMem)
                .port(0)
                .fileRoot(dir)
                .defaultSwapFile(dir.resolve("swap.jsonl"))
                .start();
        HotMemServer tokenServer =
            HotMemServer.builder(hotMem).port(0).fileRoot(dir).token(token).start()) {
      ProcessBuilder pb =
          new ProcessBuilder(PYTHON, "-m", "unittest", "discover", "-s", clientDir.toString(), "-v")
              .directory(clientDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("python.log").toFile());
      Map<String, String> env = pb.environment();
      env.put("HOTMEM_URL", server.baseUrl());
      env.put("HOTMEM_TOKEN_URL", tokenServer.baseUrl());
      env.put("HOTMEM_TOKEN", token);
      env.put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the source tree
      env.put("PYTHONIOENCODING", "utf-8");
      Process python;
      try {
        python = pb.start();
      } catch (IOException e) {
        fail(
            PYTHON
                + " cannot be started ("
                + e.getMessage()
                + "): the Python client is tested with python3 against the real server;"
                + " install python3 (CI's .ci/run does)");
        return;
      }
      if (!python.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        python.destroyForcibly();
        fail(
            "the Python suite did not finish within "
                + PYTHON_TIMEOUT_SECONDS
                + " s; its output so far:\n"
                + log());
      }
      String output = log();
      assertThat(python.exitValue())
          .withFailMessage(
              "python3 -m unittest exited %d; its output:%n%s", python.exitValue(), output)
          .isZero();
      assertThat(output)
          .withFailMessage("the live tests were skipped; output:%n%s", output)
          .doesNotContain("skipped");
      Matcher ran = Pattern.compile("Ran (\\d+) tests").matcher(output);
      assertThat(ran.find()).withFailMessage("no unittest summary in:%n%s", output).isTrue();
      assertThat(Integer.parseInt(ran.group(1))).isGreaterThanOrEqualTo(25);
    }
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve("python.log"), StandardCharsets.UTF_8);
  }

  /** {@code clients/python} of this checkout, found upwards from the working directory. */
  private static Path pythonClientDir() {
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      Path candidate = p.resolve("clients").resolve("python");
      if (Files.isRegularFile(candidate.resolve("hotmem_client.py"))) {
        return candidate;
      }
    }
    throw new AssertionError("no clients/python/hotmem_client.py above " + start);
  }
}
