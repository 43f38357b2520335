package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the real {@code hotmem} binary ({@code java -jar hotmem-app/target/hotmem.jar}, or the
 * {@code ./hotmem} launcher) in a child process. Output goes to files, so a chatty child can never
 * block on a full pipe; every wait is bounded and a child that overstays is killed.
 */
final class Binary {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Binary() {}

  static Path jar() {
    Path jar = Path.of(System.getProperty("hotmem.jar", "target/hotmem.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar (built in package)").isRegularFile();
    return jar;
  }

  static Path repo() {
    return Path.of(System.getProperty("hotmem.repo", "..")).toAbsolutePath().normalize();
  }

  /** The java of the JVM running the tests. */
  static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  static List<String> javaJar(String... args) {
    List<String> command = new ArrayList<>(List.of(java().toString(), "-jar", jar().toString()));
    command.addAll(Arrays.asList(args));
    return command;
  }

  /** A finished run. */
  record Result(int exit, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : err.lines().toList();
    }
  }

  /** A started child whose output is collected in files. */
  static final class Child implements AutoCloseable {
    final Process process;
    final Path out;
    final Path err;

    Child(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    String out() {
      return read(out);
    }

    String err() {
      return read(err);
    }

    /** Waits until stdout has a line matching {@code line}, or fails (and kills the child). */
    String awaitLine(Predicate<String> line, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (String l : out().lines().toList()) {
          if (line.test(l)) {
            return l;
          }
        }
        if (!process.isAlive()) {
          fail(
              "exited %d before the expected line; out: %s; err: %s",
              process.exitValue(), out(), err());
        }
        Thread.sleep(50);
      }
      process.destroyForcibly();
      return fail("no expected line within %s; out: %s; err: %s", timeout, out(), err());
    }

    /** Waits for the exit, or kills the child and fails. */
    Result await(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail("did not exit within %s; out: %s; err: %s", timeout, out(), err());
      }
      return new Result(process.exitValue(), out(), err());
    }

    /** Kills the child if it still runs (does not wait for it). */
    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }

  static Child start(Path workDir, List<String> command, Map<String, String> env)
      throws IOException {
    Path logs = Files.createTempDirectory(workDir, "proc-");
    Path out = logs.resolve("stdout");
    Path err = logs.resolve("stderr");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    pb.environment().remove("HOTMEM_TOKEN");
    // No background training of the launcher's start-up cache unless a test asks for it: it would
    // outlive the test and write where the test does not look.
    pb.environment().put("HOTMEM_STARTUP_CACHE", "0");
    pb.environment().putAll(env);
    return new Child(pb.start(), out, err);
  }

  static Result run(Path workDir, List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    try (Child child = start(workDir, command, env)) {
      return child.await(TIMEOUT);
    }
  }

  /** Runs {@code java -jar hotmem.jar args...} in {@code workDir}. */
  static Result hotmem(Path workDir, String... args) throws IOException, InterruptedException {
    return run(workDir, javaJar(args), Map.of());
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
