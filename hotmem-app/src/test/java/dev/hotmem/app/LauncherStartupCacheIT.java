package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./hotmem} launcher's start-up cache: trained in the background by the first start
 * without one, used by the next starts, trained again when the jar is newer, never with {@code
 * HOTMEM_JAVA_OPTS}, and not retried after a failed training until the next build. Fake JDKs show
 * the flags the launcher passes; a real one shows that the JVM accepts the cache it trained.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherStartupCacheIT {
  private static final Duration TRAINING = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void java25TrainsAnAotCacheThenStartsWithIt() throws Exception {
    checkTrainingAndUse(fakeJdk("jdk25", "25.0.1", true), "-XX:AOTCacheOutput=", "-XX:AOTCache=");
  }

  @Test
  void java17TrainsADynamicCdsArchiveThenStartsWithIt() throws Exception {
    checkTrainingAndUse(
        fakeJdk("jdk17", "17.0.2", true), "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=");
  }

  private void checkTrainingAndUse(Path jdk, String makeFlag, String useFlag) throws Exception {
    Path cacheDir = dir.resolve("cache");
    Map<String, String> env = cacheEnv(jdk, cacheDir);

    Binary.Result first = launch(env, "--version");
    assertThat(first.exit()).as("%s", first).isZero();
    assertThat(first.out()).as("the first start runs without a cache").doesNotContain(useFlag);
    Path cache = awaitTrained(cacheDir);
    assertThat(cache.getFileName().toString()).startsWith("hotmem-java" + majorOf(jdk) + "-");
    List<String> trainings = Files.readAllLines(jdk.resolve("trainings"));
    assertThat(trainings)
        .singleElement()
        .asString()
        .contains(makeFlag + cache + ".tmp.", "-jar " + Binary.jar().toRealPath(), " mcp --db ")
        .endsWith("--embedder hash");
    assertThat(Files.readString(jdk.resolve("training-input")))
        .as("a scripted session, whose end ends the training run")
        .contains("\"initialize\"", "\"tools/list\"", "\"memory_write\"", "\"memory_search\"");

    Binary.Result second = launch(env, "status", "--json");
    assertThat(second.out().strip())
        .endsWith(useFlag + cache + " -jar " + Binary.jar().toRealPath() + " status --json");
    assertThat(Files.readAllLines(jdk.resolve("trainings"))).hasSize(1);

    Binary.Result withOpts =
        launch(with(env, "HOTMEM_JAVA_OPTS", "-Xmx64m"), "--version"); // another GC, say
    assertThat(withOpts.out()).doesNotContain(useFlag).contains("-Xmx64m");
    Binary.Result off = launch(with(env, "HOTMEM_STARTUP_CACHE", "0"), "--version");
    assertThat(off.out()).doesNotContain(useFlag);

    // A cache older than the jar (the jar was rebuilt) is not used, and is trained again.
    Files.setLastModifiedTime(cache, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
    assertThat(launch(env, "--version").out()).doesNotContain(useFlag);
    assertThat(awaitTrained(cacheDir)).isEqualTo(cache);
    assertThat(Files.getLastModifiedTime(cache).toInstant())
        .isAfter(Instant.parse("2001-01-02T00:00:00Z"));
    assertThat(Files.readAllLines(jdk.resolve("trainings"))).hasSize(2);
    try (Stream<Path> left = Files.list(cacheDir)) {
      assertThat(left).as("no temporary file or lock is left").containsExactly(cache);
    }
  }

  @Test
  void aFailedTrainingIsRecordedAndNotRetriedUntilTheNextBuild() throws Exception {
    Path jdk = fakeJdk("jdk25", "25.0.1", false);
    Path cacheDir = dir.resolve("cache");
    Map<String, String> env = cacheEnv(jdk, cacheDir);
    assertThat(launch(env, "--version").exit()).isZero();
    Path failed = awaitFile(cacheDir, ".aot.failed");
    assertThat(Files.readString(failed)).contains("training run failed", "no cache today");

    Binary.Result again = launch(env, "--version");
    assertThat(again.out()).doesNotContain("-XX:AOTCache");
    // A training takes its lock at once (and runs a few seconds later): none may appear.
    for (int i = 0; i < 50; i++) {
      try (Stream<Path> files = Files.list(cacheDir)) {
        assertThat(files.map(Path::toString)).noneMatch(f -> f.endsWith(".lock"));
      }
      Thread.sleep(20);
    }
    assertThat(Files.readAllLines(jdk.resolve("trainings"))).hasSize(1);
  }

  /**
   * With this JVM: the training run is a real {@code hotmem mcp} session, and the next start takes
   * the cache without a word (a cache the JVM could not use would be warned about on stderr).
   */
  @Test
  void theRealJvmTrainsACacheItThenAcceptsSilently() throws Exception {
    Path cacheDir = dir.resolve("cache");
    Map<String, String> env = cacheEnv(Path.of(System.getProperty("java.home")), cacheDir);
    assertThat(launch(env, "--version").exit()).isZero();
    Path cache = awaitTrained(cacheDir);
    assertThat(Files.size(cache)).isGreaterThan(1_000_000);

    Path requests = dir.resolve("requests.jsonl");
    Files.writeString(
        requests,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n");
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                Binary.repo().resolve("hotmem").toString(),
                "mcp",
                "--db",
                dir.resolve("m.sqlite").toString(),
                "--embedder",
                "hash")
            .redirectInput(requests.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    assertThat(Files.readAllLines(out)).singleElement().asString().contains("\"serverInfo\"");
    assertThat(Files.readAllLines(err))
        .as("stderr holds no word from the JVM about the cache")
        .allSatisfy(
            line ->
                assertThat(line)
                    .matches(
                        "WARNING: Using incubator modules: jdk.incubator.vector"
                            + "|hotmem: MCP on stdio over .*"));
  }

  private Map<String, String> cacheEnv(Path jdk, Path cacheDir) {
    Map<String, String> env = new HashMap<>();
    env.put("HOTMEM_JAVA", jdk.toString());
    env.put("HOTMEM_STARTUP_CACHE", "1");
    env.put("HOTMEM_STARTUP_CACHE_DIR", cacheDir.toString());
    env.put("HOTMEM_JAVA_OPTS", "");
    return env;
  }

  private static Map<String, String> with(Map<String, String> env, String name, String value) {
    Map<String, String> out = new HashMap<>(env);
    out.put(name, value);
    return out;
  }

  private Binary.Result launch(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add("bash");
    command.add(Binary.repo().resolve("hotmem").toString());
    command.addAll(List.of(args));
    Binary.jar(); // present, so the launcher does not build
    return Binary.run(dir, command, env);
  }

  /**
   * The cache, once a training has written it (after 2001: see the staleness check) and unlocked.
   */
  private static Path awaitTrained(Path cacheDir) throws Exception {
    return awaitUnlocked(
        cacheDir,
        f ->
            (f.toString().endsWith(".aot") || f.toString().endsWith(".jsa"))
                && Files.getLastModifiedTime(f)
                    .toInstant()
                    .isAfter(Instant.parse("2001-01-02T00:00:00Z")));
  }

  private static Path awaitFile(Path cacheDir, String suffix) throws Exception {
    return awaitUnlocked(cacheDir, f -> f.toString().endsWith(suffix) && Files.size(f) > 0);
  }

  /** A file of {@code cacheDir} that {@code wanted} accepts, once no training holds its lock. */
  private static Path awaitUnlocked(Path cacheDir, FileTest wanted) throws Exception {
    long deadline = System.nanoTime() + TRAINING.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(cacheDir)) {
        try (Stream<Path> files = Files.list(cacheDir)) {
          List<Path> all = files.toList();
          boolean training = all.stream().anyMatch(f -> f.toString().endsWith(".lock"));
          for (Path f : all) {
            if (!training && wanted.test(f)) {
              return f;
            }
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("nothing awaited in " + cacheDir + " after " + TRAINING);
  }

  @FunctionalInterface
  private interface FileTest {
    boolean test(Path file) throws IOException;
  }

  private static int majorOf(Path jdk) throws IOException {
    String release = Files.readString(jdk.resolve("release"));
    return Integer.parseInt(release.replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1"));
  }

  /**
   * A directory shaped like a JDK whose bin/java prints its arguments; given the flag that makes a
   * cache, it logs the call and keeps its standard input instead, then writes the cache (or, when
   * {@code trains} is false, fails as a JVM without that support would).
   */
  private Path fakeJdk(String name, String version, boolean trains) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    Path java = home.resolve("bin").resolve("java");
    String script =
        """
        #!/bin/sh
        home="$(dirname "$(dirname "$0")")"
        out=""
        for a in "$@"; do
          case "$a" in
            -XX:AOTCacheOutput=*|-XX:ArchiveClassesAtExit=*) out="${a#*=}" ;;
          esac
        done
        if [ -n "$out" ]; then
          echo "$@" >> "$home/trainings"
          cat > "$home/training-input"
          %s
          exit 0
        fi
        echo "$@"
        """
            .formatted(
                trains ? "printf 'a cache' > \"$out\"" : "echo 'no cache today' >&2; exit 1");
    Files.writeString(java, script, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }
}
