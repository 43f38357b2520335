package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotmem.HotMemJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The real binary: {@code java -jar hotmem.jar ...} and the {@code ./hotmem} launcher. */
class CliBinaryIT {
  private static final ObjectMapper JSON = HotMemJson.newMapper();

  @TempDir Path dir;

  private Binary.Result hotmem(String... args) throws Exception {
    return Binary.hotmem(dir, args);
  }

  private JsonNode json(String... args) throws Exception {
    Binary.Result r = hotmem(args);
    assertThat(r.exit()).as("%s", r).isZero();
    assertThat(r.err()).as("stderr of a successful command").isEmpty();
    return JSON.readTree(r.out());
  }

  @Test
  void helpAndVersion() throws Exception {
    Binary.Result help = hotmem("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .startsWith("Usage: hotmem")
        .contains("hydrate", "snapshot", "status", "add", "search", "list", "forget")
        .contains("Exit codes:");
    Binary.Result serveHelp = hotmem("serve", "--help");
    assertThat(serveHelp.exit()).isZero();
    assertThat(serveHelp.out()).startsWith("Usage: hotmem serve").contains("--mount", "--token");
    Binary.Result version = hotmem("--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("hotmem 0.").contains("Java ");
  }

  @Test
  void usageErrorExitsTwoWithOneLineOnStderr() throws Exception {
    Binary.Result r = hotmem("search", "--top-k", "many", "--db", "x.sqlite", "q");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("hotmem: error: ").contains("--top-k");
    assertThat(r.out()).isEmpty();
    assertThat(dir.resolve("x.sqlite")).doesNotExist();
  }

  @Test
  void runtimeErrorExitsOneWithOneLineAndNoStackTrace() throws Exception {
    Path notDb = Files.writeString(dir.resolve("notes.sqlite"), "not a database\n".repeat(100));
    Binary.Result r = hotmem("search", "--db", notDb.toString(), "anything");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("hotmem: error: ").contains("notes.sqlite");
    assertThat(r.err()).doesNotContain("\tat ", "Exception in thread");

    Binary.Result verbose = hotmem("search", "--verbose", "--db", notDb.toString(), "anything");
    assertThat(verbose.exit()).isEqualTo(1);
    assertThat(verbose.err()).contains("\tat ");
  }

  @Test
  void addSearchListForgetRoundTripOnAFile() throws Exception {
    String db = dir.resolve("my.sqlite").toString();
    JsonNode added = json("add", "--db", db, "-i", "vendor_x", "--json", "Invoice total was $5000");
    String id = added.get("memory_id").asText();
    assertThat(added.get("duplicate").asBoolean()).isFalse();
    json("add", "--db", db, "--json", "The user prefers short answers in bullet points");

    JsonNode found = json("search", "--db", db, "--json", "invoice", "total");
    assertThat(found.get("memories").get(0).get("memory_id").asText()).isEqualTo(id);
    assertThat(found.get("memories").get(0).get("content").asText())
        .isEqualTo("Invoice total was $5000");

    JsonNode listed = json("list", "--db", db, "--json");
    assertThat(listed.get("total").asLong()).isEqualTo(2);

    JsonNode forgot = json("forget", "--db", db, "--json", id);
    assertThat(forgot.get("memory_id").asText()).isEqualTo(id);
    assertThat(forgot.get("status").asText()).isEqualTo("forgotten");
    assertThat(json("list", "--db", db, "--json").get("total").asLong()).isEqualTo(1);

    Binary.Result again = hotmem("forget", "--db", db, id);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.errLines()).singleElement().asString().contains("not found");
  }

  @Test
  void snapshotAndHydrateRoundTripBetweenMounts() throws Exception {
    String a = dir.resolve("a").toString();
    List<String> seed = new ArrayList<>();
    for (int i = 0; i < 19; i++) {
      seed.add("{\"identifier\": \"s" + (i % 3) + "\", \"fact\": \"fact number " + i + "\"}");
    }
    Path seedFile = Files.write(dir.resolve("seed.jsonl"), seed);
    json("hydrate", "--mount", a, "--file", seedFile.toString(), "--json");
    json("add", "--mount", a, "--json", "-i", "s0", "--importance", "0.9", "one more fact");
    Path swap = dir.resolve("a.jsonl.gz");
    JsonNode snap = json("snapshot", "--mount", a, "--file", swap.toString(), "--json");
    assertThat(snap.get("exported").asLong()).isEqualTo(20);

    String b = dir.resolve("b").toString();
    JsonNode loaded = json("hydrate", "--mount", b, "--file", swap.toString(), "--json");
    assertThat(loaded.get("loaded").asLong()).isEqualTo(20);

    // Hydrating mount b refreshed its swap.jsonl: the same lines as a's snapshot.
    assertThat(Files.readAllLines(dir.resolve("b").resolve("swap.jsonl")))
        .isEqualTo(gunzipLines(swap))
        .hasSize(20);
    JsonNode manifest = JSON.readTree(dir.resolve("b").resolve("manifest.json").toFile());
    assertThat(manifest.get("memory_count").asLong()).isEqualTo(20);
  }

  @Test
  void progressBarOnlyWhenAsked() throws Exception {
    String a = dir.resolve("a").toString();
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      batch.add(
          "{\"identifier\": \"bulk\", \"fact\": \"bulk fact " + i + " " + "x".repeat(200) + "\"}");
    }
    Path swap = Files.write(dir.resolve("bulk.jsonl"), batch);

    Binary.Result piped = hotmem("hydrate", "--mount", a, "--file", swap.toString());
    assertThat(piped.exit()).isZero();
    assertThat(piped.err()).as("no progress bar when stderr is piped").isEmpty();
    assertThat(piped.out()).startsWith("loaded 300 memories");

    Binary.Result forced =
        hotmem(
            "snapshot",
            "--db",
            dir.resolve("a").resolve("hotmem.sqlite").toString(),
            "--file",
            dir.resolve("out.jsonl").toString(),
            "--progress",
            "always");
    assertThat(forced.exit()).isZero();
    assertThat(forced.err()).contains("snapshot").contains("%");
  }

  @Test
  void successfulRunsWriteNothingToStderr() throws Exception {
    // On JDK 24+ this also checks the jar's Enable-Native-Access manifest entry (sqlite-jdbc).
    String db = dir.resolve("quiet.sqlite").toString();
    Binary.Result r = hotmem("add", "--db", db, "quiet");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void launcherRunsTheBuiltJar() throws Exception {
    Path launcher = Binary.repo().resolve("hotmem");
    Binary.jar(); // present, so the launcher does not build
    Binary.Result chosen =
        Binary.run(
            dir,
            List.of("bash", launcher.toString(), "--version"),
            Map.of("HOTMEM_JAVA", System.getProperty("java.home")));
    assertThat(chosen.exit()).as("%s", chosen).isZero();
    assertThat(chosen.out())
        .startsWith("hotmem 0.")
        .contains("Java " + System.getProperty("java.version"));
    assertThat(withoutVectorApiWarning(chosen.err())).isEmpty();

    Binary.Result found =
        Binary.run(dir, List.of("bash", launcher.toString(), "--version"), Map.of());
    assertThat(found.exit()).as("%s", found).isZero();
    assertThat(found.out()).startsWith("hotmem 0.");

    String db = dir.resolve("l.sqlite").toString();
    Binary.Result add =
        Binary.run(
            dir, List.of("bash", launcher.toString(), "add", "--db", db, "--json", "hi"), Map.of());
    assertThat(add.exit()).isZero();
    assertThat(withoutVectorApiWarning(add.err())).isEmpty();
    assertThat(JSON.readTree(add.out()).get("content").asText()).isEqualTo("hi");
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void launcherPassesFlagsByJavaVersionAndRefusesOldJava() throws Exception {
    Path launcher = Binary.repo().resolve("hotmem");
    Binary.jar();
    Path jdk25 = fakeJdk("jdk25", "25.0.1");
    Binary.Result r25 =
        Binary.run(
            dir,
            List.of("bash", launcher.toString(), "status", "--json"),
            Map.of("HOTMEM_JAVA", jdk25.toString(), "HOTMEM_JAVA_OPTS", "-Xmx64m"));
    assertThat(r25.exit()).as("%s", r25).isZero();
    assertThat(r25.out().strip())
        .isEqualTo(
            JVM_OUTPUT_TO_STDERR
                + " --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xmx64m -jar "
                + Binary.jar().toRealPath()
                + " status --json");

    Binary.Result scalar =
        Binary.run(
            dir,
            List.of("bash", launcher.toString(), "--version"),
            Map.of("HOTMEM_JAVA", jdk25.toString(), "HOTMEM_VECTOR_API", "0"));
    assertThat(scalar.out().strip())
        .as("HOTMEM_VECTOR_API=0 leaves the Vector API out")
        .isEqualTo(
            JVM_OUTPUT_TO_STDERR
                + " --enable-native-access=ALL-UNNAMED -jar "
                + Binary.jar().toRealPath()
                + " --version");

    Path jdk21 = fakeJdk("jdk21", "21.0.5");
    Binary.Result r21 =
        Binary.run(
            dir,
            List.of("bash", launcher.toString(), "--version"),
            Map.of("HOTMEM_JAVA", jdk21.toString()));
    assertThat(r21.out().strip())
        .isEqualTo(
            JVM_OUTPUT_TO_STDERR
                + " --add-modules jdk.incubator.vector -jar "
                + Binary.jar().toRealPath()
                + " --version");

    Path jdk17 = fakeJdk("jdk17", "17.0.2");
    Binary.Result r17 =
        Binary.run(
            dir,
            List.of("bash", launcher.toString(), "--version"),
            Map.of("HOTMEM_JAVA", jdk17.resolve("bin").resolve("java").toString()));
    assertThat(r17.out().strip())
        .isEqualTo(JVM_OUTPUT_TO_STDERR + " -jar " + Binary.jar().toRealPath() + " --version");

    Path jdk11 = fakeJdk("jdk11", "11.0.22");
    Binary.Result r11 =
        Binary.run(
            dir,
            List.of("bash", launcher.toString(), "--version"),
            Map.of("HOTMEM_JAVA", jdk11.toString()));
    assertThat(r11.exit()).isEqualTo(1);
    assertThat(r11.errLines()).singleElement().asString().contains("Java 11", "17 or newer");
    assertThat(r11.out()).isEmpty();
  }

  /** The launcher's first flags, on every Java version. */
  private static final String JVM_OUTPUT_TO_STDERR =
      "-XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr";

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void theJvmsOwnWarningsStayOffStandardOutput() throws Exception {
    Path launcher = Binary.repo().resolve("hotmem");
    Binary.jar();
    String db = dir.resolve("w.sqlite").toString();
    // Without large pages configured (the usual case) the JVM warns about this option at start.
    Binary.Result add =
        Binary.run(
            dir,
            List.of("bash", launcher.toString(), "add", "--db", db, "--json", "hi"),
            Map.of(
                "HOTMEM_JAVA",
                System.getProperty("java.home"),
                "HOTMEM_JAVA_OPTS",
                "-XX:+UseLargePages"));
    assertThat(add.exit()).as("%s", add).isZero();
    assertThat(JSON.readTree(add.out()).get("content").asText()).isEqualTo("hi");
    assertThat(add.out().lines()).singleElement();
  }

  /**
   * {@code err} without the one line a JVM prints when the launcher adds the Vector API module (JDK
   * 20+, for the vector index's SIMD).
   */
  private static String withoutVectorApiWarning(String err) {
    return err.replace("WARNING: Using incubator modules: jdk.incubator.vector", "").strip();
  }

  private static List<String> gunzipLines(Path gz) throws Exception {
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .lines()
          .toList();
    }
  }

  /** A directory shaped like a JDK whose bin/java prints its arguments. */
  private Path fakeJdk(String name, String version) throws Exception {
    Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    Path java = home.resolve("bin").resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }
}
