package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.HashEmbedder;
import dev.hotmem.swap.HydrateOptions;
import dev.hotmem.swap.HydrateResult;
import dev.hotmem.swap.SnapshotOptions;
import dev.hotmem.swap.SnapshotResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Snapshot and hydrate: the exact round trip, dedup, streaming batches and bad lines. */
class SwapTest {
  @TempDir Path dir;

  private final MutableClock clock = new MutableClock();

  private HotMem open(String name) {
    return HotMem.open(HotMemConfig.builder(dir.resolve(name)).clock(clock).build());
  }

  /** A store with memories in every state a snapshot must carry. */
  private void fill(HotMem mem) {
    mem.remember(
        NewMemory.builder("vendor_x", "Invoice total was $5000")
            .importance(0.8)
            .category("billing")
            .scope("q3-audit")
            .source("erp")
            .metadata(
                Map.of("amount", 5000, "tags", List.of("invoice", "ünïcödé ✓"), "n", Map.of()))
            .build());
    clock.advance(Duration.ofMinutes(1));
    mem.remember(
        NewMemory.builder("vendor_x", "Paid twice in March\nline two").kind("note").build());
    Memory forgotten = mem.remember(NewMemory.of("vendor_y", "to be forgotten")).memory();
    mem.forget(forgotten.id());
    Memory updated = mem.remember(NewMemory.of("vendor_y", "importance changes")).memory();
    clock.advance(Duration.ofSeconds(3));
    mem.update(updated.id(), new MemoryUpdate(0.1, Map.of("k", "v"), "ops"));
    mem.remember(
        NewMemory.builder("vendor_z", "expires tomorrow")
            .namespace("other")
            .ttl(Duration.ofDays(1))
            .build());
    mem.recall("invoice total");
    mem.flush();
  }

  @Test
  void snapshotThenHydrateIntoAnEmptyStoreIsAnExactRoundTrip() throws IOException {
    Path first = dir.resolve("first.jsonl");
    Path second = dir.resolve("second.jsonl");
    try (HotMem source = open("a.sqlite")) {
      fill(source);
      SnapshotResult written = source.snapshot(first, SnapshotOptions.defaults());
      assertThat(written.exported()).isEqualTo(5);
      assertThat(written.path()).isEqualTo(first.toAbsolutePath());
    }
    try (HotMem copy = open("b.sqlite")) {
      HydrateResult loaded = copy.hydrate(first, HydrateOptions.defaults());
      assertThat(loaded).isEqualTo(new HydrateResult(5, 0, 0));
      copy.snapshot(second, SnapshotOptions.defaults());
      assertThat(copy.count()).isEqualTo(4);
      assertThat(copy.recall("invoice total").memories().get(0).content())
          .isEqualTo("Invoice total was $5000");
    }
    // Every field of every memory, vectors included, survives byte for byte.
    assertThat(Files.readString(second)).isEqualTo(Files.readString(first));
    assertThat(Files.readAllLines(first)).hasSize(5);
    assertThat(Files.readString(first))
        .contains(
            "\"status\":\"forgotten\"", "\"access_count\":1", "Paid twice in March\\nline two");
  }

  @Test
  void gzipSwapFilesRoundTripToo() throws IOException {
    Path gz = dir.resolve("swap.jsonl.gz");
    Path plain = dir.resolve("plain.jsonl");
    try (HotMem source = open("a.sqlite")) {
      fill(source);
      source.snapshot(gz, SnapshotOptions.defaults());
      source.snapshot(plain, SnapshotOptions.defaults());
    }
    try (var in = new GZIPInputStream(Files.newInputStream(gz))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(Files.readString(plain));
    }
    try (HotMem copy = open("b.sqlite")) {
      assertThat(copy.hydrate(gz, HydrateOptions.defaults()).loaded()).isEqualTo(5);
    }
  }

  @Test
  void hydratingTwiceStoresOnceAndSkipsStoredContent() throws IOException {
    Path file = dir.resolve("swap.jsonl");
    try (HotMem source = open("a.sqlite")) {
      fill(source);
      source.snapshot(file, SnapshotOptions.defaults());
    }
    try (HotMem copy = open("b.sqlite")) {
      copy.remember(NewMemory.of("vendor_x", "Paid twice in March\nline two"));
      HydrateResult first = copy.hydrate(file, HydrateOptions.defaults());
      assertThat(first).isEqualTo(new HydrateResult(4, 1, 0));
      assertThat(copy.hydrate(file, HydrateOptions.defaults()))
          .isEqualTo(new HydrateResult(0, 5, 0));
      assertThat(copy.count()).isEqualTo(4);
    }
  }

  @Test
  void minimalSeedStyleLinesAreEmbeddedAndRecallable() throws IOException {
    Path file = dir.resolve("swap.jsonl");
    Files.writeString(
        file,
        """
        {"identifier": "vendor_x", "fact": "Invoice total was $5000", "importance": 0.8}

        {"content": "no identifier given", "ttl_seconds": 60, "unknown_field": [1, 2]}\r
        {"identifier": "vendor_x", "fact": "Invoice total was $5000"}""");
    try (HotMem mem = open("a.sqlite")) {
      assertThat(mem.hydrate(file, HydrateOptions.defaults()))
          .isEqualTo(new HydrateResult(2, 1, 0));
      MemoryMessage top = mem.recall("invoice total").memories().get(0);
      assertThat(top.identifier()).isEqualTo("vendor_x");
      Memory general =
          mem.list(ListQuery.of(MemoryFilter.builder().identifier("general").build()))
              .memories()
              .get(0);
      assertThat(general.expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
      assertThat(mem.get(top.memoryId()).importance()).isEqualTo(0.8);
    }
  }

  @Test
  void vectorsOfAnotherModelAreEmbeddedAgainWithThisStoresEmbedder() throws IOException {
    Path file = dir.resolve("swap.jsonl");
    Embedder other = new HashEmbedder(32);
    float[] v = other.embed(List.of("anything")).get(0);
    ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(v);
    String vector = Base64.getEncoder().encodeToString(bytes.array());
    Files.writeString(
        file,
        "{\"content\": \"the blue harbour crane\", \"embedding_model\": \""
            + other.id()
            + "\", \"embedding\": \""
            + vector
            + "\"}\n");
    Path out = dir.resolve("out.jsonl");
    try (HotMem mem = open("a.sqlite")) {
      assertThat(mem.hydrate(file, HydrateOptions.defaults()).loaded()).isEqualTo(1);
      mem.snapshot(out, SnapshotOptions.defaults());
      assertThat(mem.recall("blue harbour crane").count()).isEqualTo(1);
    }
    assertThat(Files.readString(out))
        .contains("\"embedding_model\":\"" + new HashEmbedder().id() + "\"")
        .doesNotContain(vector);
  }

  @Test
  void aMalformedLineStopsTheLoadNamingItsLineAndLoadsNothingOfItsBatch() throws IOException {
    Path file = dir.resolve("swap.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 600; i++) {
      lines.add(
          i == 555
              ? "{\"content\": \"bad importance\", \"importance\": 7}"
              : "{\"identifier\": \"n\", \"content\": \"fact number " + i + "\"}");
    }
    Files.write(file, lines);
    try (HotMem mem = open("a.sqlite")) {
      assertThatThrownBy(() -> mem.hydrate(file, HydrateOptions.defaults()))
          .isInstanceOf(HotMemException.InvalidRequest.class)
          .hasMessageContaining("swap.jsonl line 555 field importance")
          .hasMessageContaining("512 memories of earlier lines");
      // The first batch (lines 1..512) was committed; lines 513..600 were not.
      assertThat(mem.count()).isEqualTo(512);

      HydrateResult skipping = mem.hydrate(file, HydrateOptions.defaults().withSkipBad(true));
      assertThat(skipping).isEqualTo(new HydrateResult(87, 512, 1));
      assertThat(mem.count()).isEqualTo(599);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json at all",
        "[1, 2, 3]",
        "\"a string\"",
        "{\"content\": 42}",
        "{\"identifier\": \"x\"}",
        "{\"content\": \"\"}",
        "{\"content\": \"x\", \"content\": \"y\"}",
        "{\"content\": \"x\"} {\"content\": \"y\"}",
        "{\"content\": \"x\", \"importance\": \"high\"}",
        "{\"content\": \"x\", \"status\": \"deleted\"}",
        "{\"content\": \"x\", \"memory_id\": \"has spaces in it\"}",
        "{\"content\": \"x\", \"created_at\": \"yesterday\"}",
        "{\"content\": \"x\", \"access_count\": -1}",
        "{\"content\": \"x\", \"access_count\": 1.5}",
        "{\"content\": \"x\", \"metadata\": [1]}",
        "{\"content\": \"x\", \"ttl_seconds\": 0}",
        "{\"content\": \"x\", \"ttl_seconds\": 1e300}",
        "{\"content\": \"x\", \"expires_at\": \"+1000000000-01-01T00:00:00Z\"}",
        "{\"content\": \"x\", \"content_hash\": \"0000\"}",
        "{\"content\": \"x\", \"embedding\": \"%%%\", \"embedding_model\": \"hash-v1-64\"}",
        "{\"content\": \"x\", \"embedding\": \"AAAA\"}",
        "{\"content\": \"x\", \"embedding\": \"AAAAAA==\", \"embedding_model\": \"hash-v1-64\"}",
        "{\"content\": \"x\", \"embedding\": \"AACAfw==\", \"embedding_model\": \"hash-v1-64\"}",
        "{\"content\": \"x\"",
      })
  void hostileLinesAreRejectedWithTheirLineNumberAndStoreNothing(String bad) throws IOException {
    Path file = dir.resolve("swap.jsonl");
    Files.writeString(file, "{\"content\": \"a good line\"}\n" + bad + "\n");
    try (HotMem mem = open("a.sqlite")) {
      assertThatThrownBy(() -> mem.hydrate(file, HydrateOptions.defaults()))
          .isInstanceOfSatisfying(
              HotMemException.InvalidRequest.class, e -> assertThat(e.field()).isEqualTo("file"))
          .hasMessageContaining("line 2 ");
      assertThat(mem.count()).isZero();
      assertThat(mem.hydrate(file, HydrateOptions.defaults().withSkipBad(true)))
          .isEqualTo(new HydrateResult(1, 0, 1));
    }
  }

  @Test
  void invalidUtf8AndOverlongLinesAreBadLinesNotBrokenStreams() throws IOException {
    Path file = dir.resolve("swap.jsonl");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write("{\"content\": \"before\"}\n".getBytes(StandardCharsets.UTF_8));
      out.write(new byte[] {'{', '"', 'c', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
      out.write('"');
      out.write("x".repeat(9 << 20).getBytes(StandardCharsets.US_ASCII));
      out.write("\"\n{\"content\": \"after\"}".getBytes(StandardCharsets.UTF_8));
    }
    try (HotMem mem = open("a.sqlite")) {
      assertThatThrownBy(() -> mem.hydrate(file, HydrateOptions.defaults()))
          .hasMessageContaining("line 2 is not valid UTF-8");
      assertThat(mem.hydrate(file, HydrateOptions.defaults().withSkipBad(true)))
          .isEqualTo(new HydrateResult(2, 0, 2));
    }
  }

  @Test
  void aTruncatedOrFakeGzipFileIsAClearError() throws IOException {
    Path good = dir.resolve("good.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(good))) {
      for (int i = 0; i < 2000; i++) {
        out.write(
            ("{\"content\": \"fact " + i + " padding padding\"}\n")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.jsonl.gz");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Path fake = dir.resolve("fake.jsonl.gz");
    Files.writeString(fake, "{\"content\": \"not compressed\"}\n");
    try (HotMem mem = open("a.sqlite")) {
      assertThatThrownBy(() -> mem.hydrate(truncated, HydrateOptions.defaults()))
          .isInstanceOf(HotMemException.InvalidRequest.class)
          .hasMessageContaining("not a complete gzip file");
      assertThatThrownBy(() -> mem.hydrate(fake, HydrateOptions.defaults()))
          .isInstanceOf(HotMemException.InvalidRequest.class)
          .hasMessageContaining("gzip");
      assertThatThrownBy(() -> mem.hydrate(dir.resolve("missing.jsonl"), HydrateOptions.defaults()))
          .isInstanceOf(HotMemException.NotFound.class);
      // Whole batches before the cut stayed stored; the complete file brings the rest.
      long before = mem.count();
      assertThat(before).isLessThan(2000).isEqualTo(before / 512 * 512);
      HydrateResult rest = mem.hydrate(good, HydrateOptions.defaults());
      assertThat(rest).isEqualTo(new HydrateResult(2000 - before, before, 0));
      assertThat(mem.count()).isEqualTo(2000);
    }
  }

  @Test
  void progressIsReportedAndEndsComplete() throws IOException {
    Path file = dir.resolve("swap.jsonl");
    List<long[]> snapshotReports = new ArrayList<>();
    List<long[]> hydrateReports = new ArrayList<>();
    try (HotMem source = open("a.sqlite")) {
      List<NewMemory> batch = new ArrayList<>();
      for (int i = 0; i < 2500; i++) {
        batch.add(NewMemory.of("p", "progress fact " + i));
      }
      source.rememberAll(batch);
      source.snapshot(
          file,
          SnapshotOptions.defaults()
              .withProgress((d, t) -> snapshotReports.add(new long[] {d, t})));
    }
    try (HotMem copy = open("b.sqlite")) {
      copy.hydrate(
          file,
          HydrateOptions.defaults().withProgress((d, t) -> hydrateReports.add(new long[] {d, t})));
    }
    assertThat(snapshotReports.size()).isGreaterThanOrEqualTo(3);
    assertThat(snapshotReports.get(snapshotReports.size() - 1)).containsExactly(2500, 2500);
    long size = Files.size(file);
    assertThat(hydrateReports.size()).isGreaterThanOrEqualTo(4);
    assertThat(hydrateReports.get(hydrateReports.size() - 1)).containsExactly(size, size);
    for (int i = 1; i < hydrateReports.size(); i++) {
      assertThat(hydrateReports.get(i)[0]).isGreaterThanOrEqualTo(hydrateReports.get(i - 1)[0]);
    }
  }

  @Test
  void aSnapshotReplacesTheOldFileWholeAndLeavesNoTemporaryFiles() throws IOException {
    Path file = dir.resolve("out").resolve("swap.jsonl");
    try (HotMem mem = open("a.sqlite")) {
      mem.remember(NewMemory.of("first"));
      mem.snapshot(file, SnapshotOptions.defaults());
      mem.remember(NewMemory.of("second"));
      mem.snapshot(file, SnapshotOptions.defaults().withIncludeEmbeddings(false));
      assertThat(Files.readAllLines(file))
          .hasSize(2)
          .allSatisfy(l -> assertThat(l).contains("\"embedding\":null"));
      // A target that cannot be written fails cleanly and leaves the old file alone.
      Path blocked = dir.resolve("out").resolve("dir-in-the-way");
      Files.createDirectories(blocked.resolve("child"));
      assertThatThrownBy(() -> mem.snapshot(blocked, SnapshotOptions.defaults()))
          .isInstanceOf(HotMemException.StorageFailed.class);
      assertThat(Files.readAllLines(file)).hasSize(2);
    }
    try (Stream<Path> files = Files.list(dir.resolve("out"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("swap.jsonl", "dir-in-the-way");
    }
  }

  @Test
  void infoDescribesTheStore() {
    try (HotMem mem = open("a.sqlite")) {
      fill(mem);
      StoreInfo info = mem.info();
      assertThat(info.path()).isEqualTo(dir.resolve("a.sqlite"));
      assertThat(info.storeId()).hasSize(26);
      assertThat(info.schemaVersion()).isEqualTo(5);
      assertThat(info.embedderId()).isEqualTo("hash-v1-64");
      assertThat(info.embedderDimension()).isEqualTo(64);
      assertThat(info.memoryCount()).isEqualTo(4);
      assertThat(info.totalCount()).isEqualTo(5);
      assertThat(info.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }
  }
}
