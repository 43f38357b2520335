package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotmem.HotMemJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
  private static final ObjectMapper JSON = HotMemJson.newMapper();

  @TempDir Path dir;

  private static JsonNode json(Cli.Result r) throws Exception {
    assertThat(r.exit()).as("exit of %s", r).isZero();
    assertThat(r.out().lines().count()).as("--json is one line").isEqualTo(1);
    return JSON.readTree(r.out());
  }

  private static void assertOneLineError(Cli.Result r, int exit, String contains) {
    assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(exit);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("hotmem: error: ").contains(contains);
    assertThat(r.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "add", "search", "list", "forget", "status", "hydrate", "snapshot", "reindex"})
  void everyCommandHasHelp(String command) {
    List<String> args = new ArrayList<>();
    if (!command.isEmpty()) {
      args.add(command);
    }
    args.add("--help");
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("Usage: hotmem" + (command.isEmpty() ? "" : " " + command));
    assertThat(r.err()).isEmpty();
  }

  @Test
  void versionNamesTheBuild() {
    Cli.Result r = Cli.run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("hotmem ").doesNotContain("unknown").contains("Java ");
  }

  @Test
  void usageErrorsExitTwoWithOneLine() {
    assertOneLineError(Cli.run("search", "x"), 2, "Missing required argument");
    assertOneLineError(Cli.run("bogus"), 2, "'bogus'");
    assertOneLineError(Cli.run("serach", "x"), 2, "'search'");
    assertOneLineError(Cli.run("list", "--limt", "3"), 2, "did you mean '--limit'");
    assertOneLineError(Cli.run(), 2, "missing command");
    Path db = dir.resolve("t.sqlite");
    assertOneLineError(
        Cli.run("list", "--db", db.toString(), "--mount", dir.toString()), 2, "mutually exclusive");
    assertOneLineError(Cli.run("list", "--db", db.toString(), "--limit", "x"), 2, "--limit");
  }

  @Test
  void outOfRangeOptionsAreUsageErrorsNamingTheOption() {
    Path db = dir.resolve("t.sqlite");
    assertThat(Cli.run("add", "--db", db.toString(), "seed fact").exit()).isZero();
    assertOneLineError(
        Cli.run("search", "--db", db.toString(), "-k", "500", "q"), 2, "--top-k: must be between");
    assertOneLineError(
        Cli.run("list", "--db", db.toString(), "--limit", "0"), 2, "--limit: must be between");
    assertOneLineError(
        Cli.run("add", "--db", db.toString(), "--importance", "7", "f"), 2, "--importance");
    assertOneLineError(Cli.run("add", "--db", db.toString(), " "), 2, "FACT");
    assertOneLineError(
        Cli.run("add", "--db", db.toString(), "--metadata", "[1,2]", "f"),
        2,
        "--metadata: expected a JSON object, found array");
    assertOneLineError(
        Cli.run("add", "--db", db.toString(), "--metadata", "{\"a\":", "f"),
        2,
        "--metadata: expected a JSON object");
  }

  @Test
  void hostileArgumentsAreRefusedWithoutTouchingTheStore() {
    Path db = dir.resolve("t.sqlite");
    String huge = "x".repeat(dev.hotmem.Limits.MAX_CONTENT_CHARS + 1);
    assertOneLineError(Cli.run("add", "--db", db.toString(), huge), 2, "FACT:");
    assertThat(db).as("validated before the store is opened").doesNotExist();
    assertOneLineError(
        Cli.run("add", "--db", db.toString(), "--ttl-seconds", "-5", "f"), 2, "--ttl-seconds");
    assertOneLineError(
        Cli.run("search", "--db", db.toString(), "--namespace", "", "q"), 2, "--namespace");
    assertOneLineError(
        Cli.run(
            "add",
            "--db",
            db.toString(),
            "--context",
            "c".repeat(dev.hotmem.Limits.MAX_CONTEXT_CHARS + 1),
            "f"),
        2,
        "--context");
    assertOneLineError(
        Cli.run("add", "--db", db.toString(), "--metadata", "{\"a\": 1} trailing", "f"),
        2,
        "--metadata");
    assertOneLineError(Cli.run("list", "--db", db.toString(), "--order", "sideways"), 2, "--order");
    assertThat(db).doesNotExist();
    assertOneLineError(Cli.run("list", "--db", dir.toString()), 1, "is a directory");
    assertThat(Cli.run("add", "--db", db.toString(), "x").exit()).isZero();
    assertOneLineError(Cli.run("add", "--mount", db.toString(), "x"), 1, "not a directory");
  }

  @Test
  void runtimeErrorsExitOneWithOneLineAndNoStackTrace() {
    Path missing = dir.resolve("missing.sqlite");
    assertOneLineError(Cli.run("list", "--db", missing.toString()), 1, "no HotMem store at");
    assertThat(missing).doesNotExist();
    Path db = dir.resolve("t.sqlite");
    assertThat(Cli.run("add", "--db", db.toString(), "a fact").exit()).isZero();
    assertOneLineError(
        Cli.run("forget", "--db", db.toString(), "01NOSUCHID0000000000000000"), 1, "not found");
  }

  @Test
  void verbosePrintsTheStackTrace() {
    Cli.Result r = Cli.run("list", "--verbose", "--db", dir.resolve("missing.sqlite").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLines().get(0)).startsWith("hotmem: error: no HotMem store");
    assertThat(r.err()).contains("\tat dev.hotmem.app.");
  }

  @Test
  void aFileThatIsNotAStoreIsARuntimeError() throws Exception {
    Path notDb =
        Files.writeString(dir.resolve("notes.sqlite"), "just text, not SQLite\n".repeat(20));
    Cli.Result r = Cli.run("list", "--db", notDb.toString());
    assertOneLineError(r, 1, notDb.getFileName().toString());
    assertThat(Files.readString(notDb)).startsWith("just text");
  }

  @Test
  void addSearchListForgetRoundTripAsJson() throws Exception {
    String db = dir.resolve("t.sqlite").toString();
    JsonNode added =
        json(
            Cli.run(
                "add",
                "--db",
                db,
                "-i",
                "vendor_x",
                "--importance",
                "0.8",
                "--metadata",
                "{\"invoice\": 17}",
                "--context",
                "How much was the invoice?",
                "--json",
                "Invoice total was $5000, paid twice in March"));
    String id = added.get("memory_id").asText();
    assertThat(added.get("context").asText()).isEqualTo("How much was the invoice?");
    assertThat(added.get("identifier").asText()).isEqualTo("vendor_x");
    assertThat(added.get("importance").asDouble()).isEqualTo(0.8);
    assertThat(added.get("metadata").get("invoice").asInt()).isEqualTo(17);
    assertThat(added.get("duplicate").asBoolean()).isFalse();
    assertThat(added.get("status").asText()).isEqualTo("active");

    JsonNode again =
        json(
            Cli.run(
                "add",
                "--db",
                db,
                "-i",
                "vendor_x",
                "--json",
                "Invoice total was $5000, paid twice in March"));
    assertThat(again.get("duplicate").asBoolean()).isTrue();
    assertThat(again.get("memory_id").asText()).isEqualTo(id);
    json(Cli.run("add", "--db", db, "--json", "The user prefers short answers"));

    JsonNode found = json(Cli.run("search", "--db", db, "--json", "duplicate", "invoice"));
    assertThat(found.get("count").asInt()).isGreaterThanOrEqualTo(1);
    JsonNode best = found.get("memories").get(0);
    assertThat(best.get("memory_id").asText()).isEqualTo(id);
    assertThat(best.get("role").asText()).isEqualTo("system");
    assertThat(found.has("trace_ms")).isTrue();

    JsonNode page = json(Cli.run("list", "--db", db, "--json", "--order", "asc"));
    assertThat(page.get("total").asLong()).isEqualTo(2);
    assertThat(page.get("memories").get(0).get("memory_id").asText()).isEqualTo(id);

    JsonNode forgotten = json(Cli.run("forget", "--db", db, "--json", id));
    assertThat(forgotten.get("memory_id").asText()).isEqualTo(id);
    assertThat(forgotten.get("status").asText()).isEqualTo("forgotten");
    JsonNode after = json(Cli.run("list", "--db", db, "--json"));
    assertThat(after.get("total").asLong()).isEqualTo(1);
    assertThat(after.toString()).doesNotContain(id);
    JsonNode searchAfter = json(Cli.run("search", "--db", db, "--json", "invoice"));
    assertThat(searchAfter.toString()).doesNotContain(id);
  }

  @Test
  void readableOutputNamesWhatHappened() {
    String db = dir.resolve("t.sqlite").toString();
    Cli.Result added = Cli.run("add", "--db", db, "-i", "vendor_x", "Invoice total\nwas $5000");
    assertThat(added.out()).startsWith("added ").contains("(vendor_x)");
    assertThat(Cli.run("add", "--db", db, "-i", "vendor_x", "Invoice total\nwas $5000").out())
        .startsWith("duplicate of ");
    assertThat(Cli.run("search", "--db", db, "invoice").out())
        .startsWith("1. ")
        .contains("vendor_x  Invoice total ⏎ was $5000");
    assertThat(Cli.run("search", "--db", db, "zebra", "--identifier", "nobody").out())
        .isEqualTo("no memories match" + System.lineSeparator());
    assertThat(Cli.run("list", "--db", db).out()).contains("1 of 1 (offset 0)");
  }

  @Test
  void statusOfAFileAndOfAMount() throws Exception {
    String db = dir.resolve("t.sqlite").toString();
    json(Cli.run("add", "--db", db, "--json", "one"));
    JsonNode file = json(Cli.run("status", "--db", db, "--json"));
    assertThat(file.get("memory_count").asLong()).isEqualTo(1);
    assertThat(file.get("db_path").asText()).isEqualTo(db);
    assertThat(file.get("schema_version").asInt()).isPositive();
    assertThat(file.get("embedder").asText()).isNotBlank();
    assertThat(file.get("manifest").isNull()).isTrue();
    JsonNode index = file.get("vector_index");
    assertThat(index.get("kind").asText()).isEqualTo("exact");
    assertThat(index.get("entries").asInt()).isEqualTo(1);
    assertThat(index.get("building").asBoolean()).isFalse();
    assertThat(Cli.run("status", "--db", db).out())
        .containsPattern("(?m)^vector_index: +exact, 1 entries$");

    Path mount = dir.resolve("mount");
    json(Cli.run("add", "--mount", mount.toString(), "--json", "one"));
    json(Cli.run("add", "--mount", mount.toString(), "--json", "two"));
    JsonNode m = json(Cli.run("status", "--mount", mount.toString(), "--json"));
    assertThat(m.get("memory_count").asLong()).isEqualTo(2);
    assertThat(m.get("mount").asText()).isEqualTo(mount.toString());
    assertThat(m.get("manifest").get("memory_count").asLong()).isEqualTo(2);
    assertThat(m.get("manifest").get("store_id").asText()).isEqualTo(m.get("store_id").asText());

    assertOneLineError(
        Cli.run("status", "--mount", dir.resolve("nothing").toString()), 1, "no HotMem mount");
  }

  @Test
  void snapshotThenHydrateIsARoundTripBetweenMounts() throws Exception {
    String a = dir.resolve("a").toString();
    for (String fact : List.of("alpha fact", "beta fact", "gamma fact")) {
      json(Cli.run("add", "--mount", a, "--json", "-i", "subject", fact));
    }
    Path swap = dir.resolve("out.jsonl.gz");
    JsonNode snap = json(Cli.run("snapshot", "--mount", a, "--file", swap.toString(), "--json"));
    assertThat(snap.get("exported").asLong()).isEqualTo(3);
    assertThat(snap.get("path").asText()).isEqualTo(swap.toString());

    String b = dir.resolve("b").toString();
    JsonNode loaded = json(Cli.run("hydrate", "--mount", b, "--file", swap.toString(), "--json"));
    assertThat(loaded.get("loaded").asLong()).isEqualTo(3);
    JsonNode twice = json(Cli.run("hydrate", "--mount", b, "--file", swap.toString(), "--json"));
    assertThat(twice.get("loaded").asLong()).isZero();
    assertThat(twice.get("skipped_dupes").asLong()).isEqualTo(3);

    assertThat(json(Cli.run("list", "--mount", b, "--json")).get("memories"))
        .isEqualTo(json(Cli.run("list", "--mount", a, "--json")).get("memories"));
    // The mount that was written refreshed its own swap file on close.
    assertThat(Files.readString(dir.resolve("b").resolve("swap.jsonl")).lines()).hasSize(3);
  }

  @Test
  void aMountWithOnlyASwapFileLoadsItOnFirstUse() throws Exception {
    String a = dir.resolve("a").toString();
    json(Cli.run("add", "--mount", a, "--json", "kept across the copy"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Files.copy(dir.resolve("a").resolve("swap.jsonl"), b.resolve("swap.jsonl"));
    JsonNode loaded = json(Cli.run("hydrate", "--mount", b.toString(), "--json"));
    assertThat(loaded.get("loaded").asLong()).isEqualTo(1);
    assertThat(
            json(Cli.run("search", "--mount", b.toString(), "--json", "kept")).get("count").asInt())
        .isEqualTo(1);
  }

  @Test
  void hydrateStopsAtAMalformedLineUnlessSkipBad() throws Exception {
    String a = dir.resolve("a").toString();
    json(Cli.run("add", "--mount", a, "--json", "good line"));
    Path swap = dir.resolve("bad.jsonl");
    Files.writeString(
        swap, Files.readString(dir.resolve("a").resolve("swap.jsonl")) + "{not json\n");
    String db = dir.resolve("t.sqlite").toString();
    assertOneLineError(Cli.run("hydrate", "--db", db, "--file", swap.toString()), 1, "line 2");
    JsonNode skipped =
        json(Cli.run("hydrate", "--db", db, "--file", swap.toString(), "--skip-bad", "--json"));
    assertThat(skipped.get("loaded").asLong()).isEqualTo(1);
    assertThat(skipped.get("skipped_bad").asLong()).isEqualTo(1);
  }

  @Test
  void hydrateOfAMissingFileCreatesNoStore() {
    Path db = dir.resolve("t.sqlite");
    assertOneLineError(
        Cli.run("hydrate", "--db", db.toString(), "--file", dir.resolve("nope.jsonl").toString()),
        1,
        "no such file");
    assertThat(db).doesNotExist();
    assertOneLineError(Cli.run("snapshot", "--db", db.toString()), 2, "--file");
  }
}
