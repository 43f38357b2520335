package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.HashEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failure paths: a failed call says why, with its code, and loses nothing already stored. */
class FailureTest {
  @TempDir Path dir;

  @Test
  void anotherWriterHoldingTheLockGivesBusyAndNothingIsLost() throws Exception {
    Path file = dir.resolve("busy.sqlite");
    HotMemConfig config = HotMemConfig.builder(file).busyTimeout(Duration.ofMillis(200)).build();
    try (HotMem mem = HotMem.open(config)) {
      mem.remember("stored before the lock");
      try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = other.createStatement()) {
        s.execute("PRAGMA busy_timeout = 0");
        s.execute("BEGIN IMMEDIATE"); // another process's write transaction
        assertThatThrownBy(() -> mem.remember("blocked write"))
            .isInstanceOf(HotMemException.Busy.class)
            .extracting(e -> ((HotMemException) e).errorCode())
            .isEqualTo(ErrorCode.BUSY);
        // Readers are not blocked by the writer.
        assertThat(mem.recall("stored before").memories()).hasSize(1);
        s.execute("ROLLBACK");
      }
      mem.remember("after the lock is released");
      assertThat(mem.count()).isEqualTo(2);
    }
  }

  /** Delegates to the hash embedder but fails (or misbehaves) on the n-th call. */
  private static final class FlakyEmbedder implements Embedder {
    private final HashEmbedder real = new HashEmbedder();
    private final AtomicInteger calls = new AtomicInteger();
    private final int failOn;
    private final String mode;

    FlakyEmbedder(int failOn, String mode) {
      this.failOn = failOn;
      this.mode = mode;
    }

    @Override
    public String id() {
      return real.id();
    }

    @Override
    public int dimension() {
      return real.dimension();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      List<float[]> out = new ArrayList<>(real.embed(texts));
      if (calls.incrementAndGet() == failOn) {
        switch (mode) {
          case "throw" -> throw new IllegalStateException("model crashed");
          case "short" -> out.remove(0);
          case "dimension" -> out.set(0, new float[3]);
          case "nan" -> out.get(0)[0] = Float.NaN;
          default -> throw new AssertionError(mode);
        }
      }
      return out;
    }
  }

  @Test
  void aFailingEmbedderStoresNothingOfTheBatchAndSaysWhy() {
    for (String mode : List.of("throw", "short", "dimension", "nan")) {
      Path file = dir.resolve("embed-" + mode + ".sqlite");
      HotMemConfig config = HotMemConfig.builder(file).embedder(new FlakyEmbedder(3, mode)).build();
      try (HotMem mem = HotMem.open(config)) {
        mem.remember("first fact");
        List<NewMemory> batch = new ArrayList<>();
        for (int i = 0; i < 600; i++) { // three embedder calls of 256, 256, 88
          batch.add(NewMemory.of("bulk", "bulk fact " + i));
        }
        assertThatThrownBy(() -> mem.rememberAll(batch))
            .as(mode)
            .isInstanceOf(HotMemException.EmbeddingFailed.class)
            .hasMessageContaining("hash-v1-64");
        assertThat(mem.count()).as(mode).isEqualTo(1);
        assertThat(mem.count(MemoryFilter.builder().identifier("bulk").build())).as(mode).isZero();
        assertThat(mem.recall("bulk fact").memories())
            .as(mode)
            .extracting(MemoryMessage::identifier)
            .doesNotContain("bulk");
        mem.remember("later fact");
        assertThat(mem.count()).as(mode).isEqualTo(2);
      }
    }
  }

  @Test
  void aStoreThatCannotBeCreatedIsAStorageError() throws Exception {
    Path notADirectory = dir.resolve("plain-file");
    Files.writeString(notADirectory, "x");
    assertThatThrownBy(() -> HotMem.open(notADirectory.resolve("m.sqlite")))
        .isInstanceOf(HotMemException.StorageFailed.class)
        .hasMessageContaining("plain-file");
  }
}
