package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hotmem.HotMem;
import dev.hotmem.HotMemJson;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --embedder resolution, the mismatch error and reindex, in this JVM. */
class CliEmbedderTest {
  private static final ObjectMapper JSON = HotMemJson.newMapper();

  @TempDir Path dir;

  @AfterEach
  void restoreEnvironment() {
    EmbedderOptions.environment = System::getenv;
  }

  private static void env(Map<String, String> vars) {
    Function<String, String> fake = vars::get;
    EmbedderOptions.environment = fake;
  }

  private static JsonNode json(Cli.Result r) throws Exception {
    assertThat(r.exit()).as("exit; stderr %s", r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private static void assertOneLineError(Cli.Result r, int exit, String... contains) {
    assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(exit);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("hotmem: error: ").contains(contains);
  }

  @Test
  void aStoreOpensWithTheEmbedderItRecordsWithoutFlags() throws Exception {
    String db = dir.resolve("s.sqlite").toString();
    assertThat(Cli.run("add", "--db", db, "--embedder", "hash:32", "cats purr").exit()).isZero();
    JsonNode status = json(Cli.run("status", "--db", db, "--json"));
    assertThat(status.get("embedder").asText()).isEqualTo("hash-v1-32");
    assertThat(status.get("embedder_spec").asText()).isEqualTo("hash:32");
    JsonNode found = json(Cli.run("search", "--db", db, "--json", "cats"));
    assertThat(found.get("memories")).hasSize(1);
    assertThat(Cli.run("add", "--db", db, "dogs bark").exit()).isZero();
    assertThat(Cli.run("list", "--db", db).out()).contains("dogs bark");
  }

  @Test
  void aMountWithoutItsDatabaseOpensWithTheEmbedderItsManifestRecords() throws Exception {
    env(Map.of());
    Path mount = Files.createDirectories(dir.resolve("swap-only"));
    Path db = mount.resolve("hotmem.sqlite");
    Files.writeString(
        mount.resolve("manifest.json"),
        "{\"format\": \"hotmem-mount\", \"format_version\": 1, \"embedder_spec\": \"hash:32\"}");
    EmbedderOptions.Choice choice = new EmbedderOptions().choose(db, EmbedderOptions.Default.LOCAL);
    assertThat(choice.spec().toString()).isEqualTo("hash:32");
    assertThat(choice.source()).isEqualTo("the store");

    // A damaged manifest counts as none (the mount rewrites it from the database).
    Files.writeString(mount.resolve("manifest.json"), "{not json");
    assertThat(new EmbedderOptions().choose(db, EmbedderOptions.Default.HASH).spec().toString())
        .isEqualTo("hash");
    // Only a mount's database file consults the manifest next to it.
    Files.writeString(mount.resolve("manifest.json"), "{\"embedder_spec\": \"hash:32\"}");
    assertThat(
            new EmbedderOptions()
                .choose(mount.resolve("other.sqlite"), EmbedderOptions.Default.HASH)
                .spec()
                .toString())
        .isEqualTo("hash");
  }

  @Test
  void aNewStoreGetsTheHashDefaultOrTheEnvironmentsChoice() throws Exception {
    String plain = dir.resolve("plain.sqlite").toString();
    assertThat(Cli.run("add", "--db", plain, "x").exit()).isZero();
    assertThat(HotMem.recordedEmbedder(Path.of(plain)).orElseThrow()).hasToString("hash");

    env(Map.of("HOTMEM_EMBEDDER", "hash:48"));
    String fromEnv = dir.resolve("env.sqlite").toString();
    assertThat(Cli.run("add", "--db", fromEnv, "x").exit()).isZero();
    assertThat(HotMem.recordedEmbedder(Path.of(fromEnv)).orElseThrow()).hasToString("hash:48");
    // The flag wins over the environment.
    String flag = dir.resolve("flag.sqlite").toString();
    assertThat(Cli.run("add", "--db", flag, "--embedder", "hash:16", "x").exit()).isZero();
    assertThat(HotMem.recordedEmbedder(Path.of(flag)).orElseThrow()).hasToString("hash:16");
  }

  @Test
  void aMismatchIsOneLineNamingBothEmbeddersAndTheReindexCommand() throws Exception {
    String db = dir.resolve("m.sqlite").toString();
    assertThat(Cli.run("add", "--db", db, "a fact").exit()).isZero();
    Cli.Result r = Cli.run("search", "--db", db, "--embedder", "hash:32", "fact");
    assertOneLineError(
        r,
        1,
        "incompatible store:",
        "hash-v1-64 (dimension 64, spec hash)",
        "hash-v1-32 (dimension 32, spec hash:32)",
        "run 'hotmem reindex --embedder hash:32' to convert it",
        "or open it with '--embedder hash'");
    env(Map.of("HOTMEM_EMBEDDER", "hash:32"));
    assertOneLineError(Cli.run("list", "--db", db), 1, "hotmem reindex --embedder hash:32");
  }

  @Test
  void badEmbedderArgumentsAreUsageErrors() {
    String db = dir.resolve("u.sqlite").toString();
    assertOneLineError(
        Cli.run("add", "--db", db, "--embedder", "nope:x", "f"), 2, "unknown embedder 'nope:x'");
    assertOneLineError(Cli.run("add", "--db", db, "--embedder", "hash:", "f"), 2, "names no model");
    assertOneLineError(Cli.run("add", "--db", db, "--embedder", "hash:0", "f"), 2, "between 1 and");
    assertOneLineError(
        Cli.run("add", "--db", db, "--embedder", "openai:m", "--embedder-url", "ftp://x/v1", "f"),
        2,
        "base URL");
    assertThat(Path.of(db)).doesNotExist();
    env(Map.of("HOTMEM_EMBEDDER", "b a d"));
    assertOneLineError(Cli.run("add", "--db", db, "f"), 2, "(from HOTMEM_EMBEDDER)");
    assertOneLineError(
        Cli.run("search", "--url", "http://127.0.0.1:1", "--embedder", "hash", "q"),
        2,
        "apply to --db and --mount");
  }

  @Test
  void aKeyIsNeverPrintedEvenWhenTheServerEchoesIt() throws Exception {
    String db = dir.resolve("k.sqlite").toString();
    String key = "sk-secret-key-never-shown";
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          byte[] body =
              ("{\"error\": {\"message\": \"Incorrect API key: " + auth + "\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(401, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
      Cli.Result r =
          Cli.run(
              "add",
              "--verbose",
              "--db",
              db,
              "--embedder",
              "openai:m",
              "--embedder-url",
              url,
              "--embedder-key",
              key,
              "f");
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err())
          .contains("HTTP 401: Incorrect API key: Bearer ***")
          .contains("--embedder-key")
          .doesNotContain(key);
      env(Map.of("OPENAI_API_KEY", key, "OPENAI_BASE_URL", url));
      r = Cli.run("add", "--db", db, "--embedder", "openai:m", "f");
      assertThat(r.err()).contains("Bearer ***").doesNotContain(key);
    } finally {
      server.stop(0);
    }
    assertThat(Path.of(db)).doesNotExist();
  }

  @Test
  void reindexConvertsAStoreAndSaysWhatItDid() throws Exception {
    String db = dir.resolve("r.sqlite").toString();
    for (int i = 0; i < 5; i++) {
      assertThat(Cli.run("add", "--db", db, "fact number " + i).exit()).isZero();
    }
    Cli.Result r = Cli.run("reindex", "--db", db, "--embedder", "hash:32", "--batch-size", "2");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "reindexed "
                + Path.of(db).toAbsolutePath()
                + ": 5 memories from hash-v1-64 to hash-v1-32 (5 embedded, 0 kept from an"
                + " interrupted run)\n");
    JsonNode status = json(Cli.run("status", "--db", db, "--json"));
    assertThat(status.get("embedder_spec").asText()).isEqualTo("hash:32");
    assertThat(json(Cli.run("search", "--db", db, "--json", "number 3")).get("memories"))
        .isNotEmpty();
    JsonNode again = json(Cli.run("reindex", "--db", db, "--embedder", "hash:32", "--json"));
    assertThat(again.get("changed").asBoolean()).isFalse();
    assertThat(again.get("total").asLong()).isEqualTo(5);

    assertOneLineError(Cli.run("reindex", "--db", db), 2, "reindex needs the embedder");
    assertOneLineError(
        Cli.run("reindex", "--db", db, "--embedder", "hash", "--batch-size", "0"),
        2,
        "--batch-size");
    Path missing = dir.resolve("missing.sqlite");
    assertOneLineError(
        Cli.run("reindex", "--db", missing.toString(), "--embedder", "hash"), 1, "no HotMem store");
    assertThat(missing).doesNotExist();
  }

  @Test
  void reindexingAMountRefreshesItsManifest() throws Exception {
    Path mount = dir.resolve("mnt");
    assertThat(Cli.run("add", "--mount", mount.toString(), "a mounted fact").exit()).isZero();
    Cli.Result r =
        Cli.run("reindex", "--mount", mount.toString(), "--embedder", "hash:24", "--json");
    JsonNode done = json(r);
    assertThat(done.get("embedder").asText()).isEqualTo("hash-v1-24");
    JsonNode manifest = JSON.readTree(mount.resolve("manifest.json").toFile());
    assertThat(manifest.get("embedder_id").asText()).isEqualTo("hash-v1-24");
    assertThat(manifest.get("embedder_spec").asText()).isEqualTo("hash:24");
    assertThat(manifest.get("embedder_dimension").asInt()).isEqualTo(24);
    assertThat(Files.readString(mount.resolve("swap.jsonl"))).contains("hash-v1-24");
    assertThat(
            json(Cli.run("search", "--mount", mount.toString(), "--json", "mounted"))
                .get("memories"))
        .hasSize(1);
  }
}
