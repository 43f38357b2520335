package dev.hotmem.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotmem.HotMemException;
import dev.hotmem.MemoryMessage;
import dev.hotmem.NewMemory;
import dev.hotmem.RecallQuery;
import dev.hotmem.Tracing;
import dev.hotmem.embed.HashEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mount: its three files, hydration from swap.jsonl, refresh on close, and portability. */
class MountTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<String> recallIds(Mount m, String query) {
    return m.hotMem().recall(RecallQuery.builder(query).topK(10).build()).memories().stream()
        .map(MemoryMessage::memoryId)
        .toList();
  }

  @Test
  void aNewMountHasADatabaseAndAManifestAndCloseWritesTheSwapFile() throws IOException {
    Path mountDir = dir.resolve("a").resolve("hotmem");
    String storeId;
    try (Mount m = Mount.open(mountDir)) {
      assertThat(m.dir()).isEqualTo(mountDir.toAbsolutePath());
      assertThat(m.hydratedOnOpen()).isNull();
      assertThat(mountDir.resolve(Mount.DATABASE_FILE)).isRegularFile();
      assertThat(mountDir.resolve(Mount.SWAP_FILE)).doesNotExist();
      storeId = m.manifest().storeId();
      m.hotMem().remember(NewMemory.of("vendor_x", "Invoice total was $5000"));
      m.hotMem().remember(NewMemory.of("vendor_x", "Paid twice in March"));
    }
    assertThat(Files.readAllLines(mountDir.resolve(Mount.SWAP_FILE))).hasSize(2);
    JsonNode manifest = JSON.readTree(mountDir.resolve(Mount.MANIFEST_FILE).toFile());
    assertThat(manifest.get("format").asText()).isEqualTo("hotmem-mount");
    assertThat(manifest.get("format_version").asInt()).isEqualTo(1);
    assertThat(manifest.get("store_id").asText()).isEqualTo(storeId);
    assertThat(manifest.get("schema_version").asInt()).isEqualTo(5);
    assertThat(manifest.get("embedder_id").asText()).isEqualTo("hash-v1-64");
    assertThat(manifest.get("embedder_dimension").asInt()).isEqualTo(64);
    assertThat(manifest.get("embedder_spec").asText()).isEqualTo("hash");
    assertThat(manifest.get("memory_count").asLong()).isEqualTo(2);
    assertThat(manifest.get("created_at").asText()).endsWith("Z");
    assertThat(manifest.get("updated_at").asText()).endsWith("Z");
    try (Stream<Path> files = Files.list(mountDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.contains(".tmp-"));
    }
  }

  @Test
  void aDirectoryWithOnlyASwapFileIsHydratedOnOpen() throws IOException {
    Path source = dir.resolve("source");
    try (Mount m = Mount.open(source)) {
      m.hotMem().remember(NewMemory.of("vendor_x", "Invoice total was $5000"));
      m.hotMem().remember(NewMemory.of("vendor_y", "Ships from Rotterdam"));
    }
    Path target = dir.resolve("target");
    Files.createDirectories(target);
    Files.copy(source.resolve(Mount.SWAP_FILE), target.resolve(Mount.SWAP_FILE));
    try (Mount m = Mount.open(target)) {
      assertThat(m.hydratedOnOpen().loaded()).isEqualTo(2);
      assertThat(m.hotMem().count()).isEqualTo(2);
      assertThat(m.manifest().memoryCount()).isEqualTo(2);
    }
    // A second open finds the database and does not load the file again.
    try (Mount m = Mount.open(target)) {
      assertThat(m.hydratedOnOpen()).isNull();
      assertThat(m.hotMem().count()).isEqualTo(2);
    }
  }

  @Test
  void aCopiedMountGivesTheSameAnswers() throws IOException {
    Path original = dir.resolve("original");
    List<String> before;
    try (Mount m = Mount.open(original, b -> b.tracing(Tracing.OFF))) {
      for (int i = 0; i < 200; i++) {
        m.hotMem()
            .remember(NewMemory.of("topic" + (i % 7), "fact number " + i + " about invoices"));
      }
      before = recallIds(m, "invoices fact 42");
      assertThat(before).hasSize(10);
    }
    Path copy = dir.resolve("usb").resolve("hotmem");
    copyTree(original, copy);
    try (Mount m = Mount.open(copy)) {
      assertThat(recallIds(m, "invoices fact 42")).isEqualTo(before);
      assertThat(m.manifest().storeId())
          .isEqualTo(
              JSON.readTree(original.resolve(Mount.MANIFEST_FILE).toFile())
                  .get("store_id")
                  .asText());
    }
  }

  @Test
  void aManifestFromANewerHotMemIsRefusedAndADamagedOneIsRewritten() throws IOException {
    Path newer = dir.resolve("newer");
    Files.createDirectories(newer);
    Files.writeString(
        newer.resolve(Mount.MANIFEST_FILE),
        "{\"format\": \"hotmem-mount\", \"format_version\": 9}");
    assertThatThrownBy(() -> Mount.open(newer))
        .isInstanceOf(HotMemException.IncompatibleStore.class)
        .hasMessageContaining("format version 9")
        .hasMessageContaining("up to version 1");
    assertThat(newer.resolve(Mount.DATABASE_FILE)).doesNotExist();

    Path damaged = dir.resolve("damaged");
    Files.createDirectories(damaged);
    Files.writeString(damaged.resolve(Mount.MANIFEST_FILE), "{not json");
    try (Mount m = Mount.open(damaged)) {
      assertThat(m.manifest().formatVersion()).isEqualTo(1);
    }
    assertThat(JSON.readTree(damaged.resolve(Mount.MANIFEST_FILE).toFile()).get("format").asText())
        .isEqualTo("hotmem-mount");
  }

  @Test
  void aFailedHydrationRemovesTheNewDatabaseSoTheNextOpenRetries() throws IOException {
    Path mountDir = dir.resolve("m");
    Files.createDirectories(mountDir);
    Files.writeString(mountDir.resolve(Mount.SWAP_FILE), "{\"content\": \"ok\"}\n{broken\n");
    assertThatThrownBy(() -> Mount.open(mountDir))
        .isInstanceOf(HotMemException.InvalidRequest.class)
        .hasMessageContaining("line 2");
    assertThat(mountDir.resolve(Mount.DATABASE_FILE)).doesNotExist();
    Files.writeString(mountDir.resolve(Mount.SWAP_FILE), "{\"content\": \"ok\"}\n");
    // What a load killed half-way leaves behind is discarded, not served.
    Files.writeString(mountDir.resolve(Mount.DATABASE_FILE + ".hydrating"), "half a database");
    List<long[]> progress = new java.util.ArrayList<>();
    try (Mount m = Mount.open(mountDir, b -> {}, (d, t) -> progress.add(new long[] {d, t}))) {
      assertThat(m.hydratedOnOpen().loaded()).isEqualTo(1);
      assertThat(m.hotMem().count()).isEqualTo(1);
    }
    assertThat(progress).isNotEmpty();
    try (Stream<Path> files = Files.list(mountDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(Mount.DATABASE_FILE, Mount.SWAP_FILE, Mount.MANIFEST_FILE);
    }
  }

  @Test
  void aFileIsNotAMountAndAnotherEmbedderIsRefused() throws IOException {
    Path file = dir.resolve("plain-file");
    Files.writeString(file, "x");
    assertThatThrownBy(() -> Mount.open(file))
        .isInstanceOf(HotMemException.InvalidRequest.class)
        .hasMessageContaining("not a directory");
    Path mountDir = dir.resolve("m");
    Mount.open(mountDir).close();
    assertThatThrownBy(() -> Mount.open(mountDir, b -> b.embedder(new HashEmbedder(32))))
        .isInstanceOf(HotMemException.IncompatibleStore.class);
    assertThat(mountDir.resolve(Mount.DATABASE_FILE)).isRegularFile();
  }

  @Test
  void syncRefreshesTheSwapFileWithoutClosing() throws IOException {
    try (Mount m = Mount.open(dir.resolve("m"))) {
      m.hotMem().remember(NewMemory.of("one"));
      assertThat(m.sync().exported()).isEqualTo(1);
      m.hotMem().remember(NewMemory.of("two"));
      assertThat(m.sync().exported()).isEqualTo(2);
      assertThat(Files.readAllLines(m.swapFile())).hasSize(2);
      assertThat(m.manifest().memoryCount()).isEqualTo(2);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
