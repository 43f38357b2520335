package dev.hotmem.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.HotMem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hydrate and snapshot through the engine, confined to the server's file root. */
class SwapEndpointsTest extends ServerFixture {

  @Test
  void snapshotWithoutABodyWritesTheDefaultSwapFile() {
    post("/v1/add", addBody("a", "one"));
    post("/v1/add", addBody("a", "two"));
    Reply r = sendBytes("POST", "/v1/snapshot", null, false);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("exported").asLong()).isEqualTo(2);
    assertThat(Path.of(r.json().path("path").asText())).isEqualTo(files.resolve("swap.jsonl"));
    assertThat(files.resolve("swap.jsonl")).isNotEmptyFile();
  }

  @Test
  void snapshotThenHydrateIntoAnotherStoreRoundTrips() throws Exception {
    post("/v1/add", addBody("a", "one"));
    post("/v1/add", addBody("b", "two"));
    Reply snap = post("/v1/snapshot", "{\"file\": \"out/copy.jsonl.gz\"}");
    assertThat(snap.status()).as(snap.body()).isEqualTo(200);
    Path gz = files.resolve("out/copy.jsonl.gz");
    byte[] head = Files.readAllBytes(gz);
    assertThat(head[0] & 0xff).isEqualTo(0x1f);
    assertThat(head[1] & 0xff).isEqualTo(0x8b);

    try (HotMem other = HotMem.open(dir.resolve("other.sqlite"));
        HotMemServer otherServer = HotMemServer.builder(other).port(0).fileRoot(files).start()) {
      HotMemServer mine = server;
      server = otherServer;
      try {
        Reply h = post("/v1/hydrate", "{\"path\": \"out/copy.jsonl.gz\"}");
        assertThat(h.status()).as(h.body()).isEqualTo(200);
        assertThat(h.json().path("loaded").asLong()).isEqualTo(2);
        assertThat(h.json().path("skipped_dupes").asLong()).isZero();
        Reply again = post("/v1/hydrate", "{\"file\": \"out/copy.jsonl.gz\"}");
        assertThat(again.json().path("loaded").asLong()).isZero();
        assertThat(again.json().path("skipped_dupes").asLong()).isEqualTo(2);
        assertThat(other.count()).isEqualTo(2);
        // no default swap file on this server: a body without a file is refused
        Reply none = post("/v1/hydrate", "{}");
        assertError(none, 400, "invalid_request");
        assertThat(none.errorField()).isEqualTo("file");
      } finally {
        server = mine;
      }
    }
  }

  @Test
  void aMissingSwapFileIs404() {
    assertError(post("/v1/hydrate", "{\"file\": \"absent.jsonl\"}"), 404, "not_found");
  }

  @Test
  void aMalformedLineIs422NamingTheLineUnlessSkipped() throws Exception {
    Files.createDirectories(files);
    Files.writeString(
        files.resolve("bad.jsonl"),
        "{\"identifier\": \"x\", \"fact\": \"good line\"}\n{not json\n",
        StandardCharsets.UTF_8);
    Reply r = post("/v1/hydrate", "{\"file\": \"bad.jsonl\"}");
    assertError(r, 422, "invalid_request");
    assertThat(r.errorField()).isEqualTo("file");
    assertThat(r.json().path("error").path("message").asText()).contains("2");
    assertThat(hotMem.count()).isZero();

    Reply skipped = post("/v1/hydrate", "{\"file\": \"bad.jsonl\", \"skip_bad\": true}");
    assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
    assertThat(skipped.json().path("loaded").asLong()).isEqualTo(1);
    assertThat(skipped.json().path("skipped_bad").asLong()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../escape.jsonl",
        "a/../../escape.jsonl",
        "/etc/passwd",
        "/tmp/elsewhere.jsonl",
        "",
        "   ",
        ".",
        "nul\u0000byte.jsonl"
      })
  void pathsOutsideTheRootAreRefused(String file) throws Exception {
    for (String endpoint : new String[] {"/v1/hydrate", "/v1/snapshot"}) {
      Reply r = post(endpoint, "{\"file\": " + JSON.writeValueAsString(file) + "}");
      assertError(r, 400, "invalid_request");
      assertThat(r.errorField()).isEqualTo("file");
    }
    assertThat(dir.resolve("escape.jsonl")).doesNotExist();
  }

  @Test
  void anAbsolutePathOutsideTheRootIsRefusedAndOneInsideIsFine() throws Exception {
    Path outside = dir.resolve("outside.jsonl");
    Reply r =
        post("/v1/snapshot", "{\"file\": " + JSON.writeValueAsString(outside.toString()) + "}");
    assertError(r, 400, "invalid_request");
    assertThat(outside).doesNotExist();
    Path inside = files.resolve("inside.jsonl");
    Reply ok =
        post("/v1/snapshot", "{\"file\": " + JSON.writeValueAsString(inside.toString()) + "}");
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(inside).exists();
  }

  @Test
  void symlinksThatPointOutOfTheRootAreRefused() throws Exception {
    Files.createDirectories(files);
    Path outsideDir = Files.createDirectories(dir.resolve("elsewhere"));
    Path outsideFile = outsideDir.resolve("target.jsonl");
    Files.writeString(outsideFile, "{\"identifier\": \"x\", \"fact\": \"secret\"}\n");
    Files.createSymbolicLink(files.resolve("link.jsonl"), outsideFile);
    Files.createSymbolicLink(files.resolve("linkdir"), outsideDir);
    Files.createSymbolicLink(files.resolve("dangling.jsonl"), dir.resolve("nothing-here"));

    for (String file :
        new String[] {
          "link.jsonl", "linkdir/target.jsonl", "linkdir/new.jsonl", "dangling.jsonl"
        }) {
      Reply h = post("/v1/hydrate", "{\"file\": \"" + file + "\"}");
      assertError(h, 400, "invalid_request");
      assertThat(h.errorField()).isEqualTo("file");
      Reply s = post("/v1/snapshot", "{\"file\": \"" + file + "\"}");
      assertError(s, 400, "invalid_request");
    }
    assertThat(hotMem.count()).isZero();
    assertThat(outsideDir.resolve("new.jsonl")).doesNotExist();
    assertThat(Files.readString(outsideFile)).contains("secret");
  }

  @Test
  void aSymlinkThatStaysInsideIsFollowed() throws Exception {
    Path real = Files.createDirectories(files.resolve("real"));
    Files.writeString(real.resolve("in.jsonl"), "{\"identifier\": \"x\", \"fact\": \"inside\"}\n");
    Files.createSymbolicLink(files.resolve("alias"), real);
    Reply r = post("/v1/hydrate", "{\"file\": \"alias/in.jsonl\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("loaded").asLong()).isEqualTo(1);
  }

  @Test
  void aDirectoryIsRefused() throws Exception {
    Files.createDirectories(files.resolve("sub"));
    Reply r = post("/v1/snapshot", "{\"file\": \"sub\"}");
    assertError(r, 400, "invalid_request");
    assertThat(r.errorField()).isEqualTo("file");
  }
}
