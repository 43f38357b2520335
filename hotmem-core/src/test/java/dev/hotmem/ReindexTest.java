package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.HashEmbedder;
import dev.hotmem.internal.store.VectorCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HotMem.reindex: every row re-embedded, resumable, swapped in one transaction. */
class ReindexTest {
  private static final int ROWS = 95;
  private static final Embedder TARGET = new HashEmbedder(32);

  @TempDir Path dir;
  private Path db;

  @BeforeEach
  void createStore() {
    db = dir.resolve("store.sqlite");
    try (HotMem mem = HotMem.open(db)) {
      List<Remembered> stored =
          mem.rememberAll(
              IntStream.range(0, ROWS)
                  .mapToObj(
                      i ->
                          NewMemory.builder("topic" + i % 7, "memory number " + i + " about cats")
                              .build())
                  .toList());
      String id = stored.get(0).memory().id();
      mem.forget(id); // forgotten rows are converted too: the store never mixes models
    }
  }

  /** Every row's model and vector, by content. */
  private Map<String, Map.Entry<String, float[]>> rows() throws Exception {
    Map<String, Map.Entry<String, float[]>> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT content, embedding_model, embedding FROM memories ORDER BY seq")) {
      while (rs.next()) {
        byte[] blob = rs.getBytes(3);
        out.put(
            rs.getString(1),
            Map.entry(rs.getString(2), VectorCodec.decode(blob, blob.length / Float.BYTES)));
      }
    }
    return out;
  }

  /** Every row's model and vector as text, for comparing whole stores. */
  private Map<String, String> fingerprint() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    rows()
        .forEach((k, v) -> out.put(k, v.getKey() + " " + java.util.Arrays.toString(v.getValue())));
    return out;
  }

  private static float[] fresh(Embedder e, String text) {
    float[] v = e.embed(text).clone();
    VectorCodec.normalize(v);
    return v;
  }

  private void assertEveryRowIs(Embedder e) throws Exception {
    Map<String, Map.Entry<String, float[]>> rows = rows();
    assertThat(rows).isNotEmpty();
    rows.forEach(
        (content, v) -> {
          assertThat(v.getKey()).as("model of %s", content).isEqualTo(e.id());
          assertThat(v.getValue()).as("vector of %s", content).isEqualTo(fresh(e, content));
        });
  }

  private boolean hasSideTable() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM sqlite_schema WHERE name = 'reindex_vectors'),"
                    + " (SELECT count(*) FROM meta WHERE key LIKE 'reindex_%')")) {
      return rs.getInt(1) + rs.getInt(2) > 0;
    }
  }

  @Test
  void reembedsEveryRowAndSwapsTheEmbedder() throws Exception {
    List<long[]> progress = new ArrayList<>();
    ReindexResult r =
        HotMem.reindex(
            db,
            TARGET,
            ReindexOptions.defaults()
                .withBatchSize(10)
                .withProgress((done, total) -> progress.add(new long[] {done, total})));
    assertThat(r)
        .isEqualTo(new ReindexResult(ROWS, ROWS, 0, "hash-v1-64", "hash-v1-32", "hash:32"));
    assertThat(r.changed()).isTrue();
    assertEveryRowIs(TARGET);
    assertThat(hasSideTable()).isFalse();
    assertThat(progress.get(progress.size() - 1)).containsExactly(ROWS, ROWS);
    for (int i = 1; i < progress.size(); i++) {
      assertThat(progress.get(i)[0]).isGreaterThanOrEqualTo(progress.get(i - 1)[0]);
    }
    assertThat(progress).hasSizeGreaterThan(10);

    assertThatThrownBy(() -> HotMem.open(db))
        .isInstanceOf(HotMemException.IncompatibleStore.class)
        .hasMessageContaining("hash-v1-32 (dimension 32, spec hash:32)")
        .hasMessageContaining("or open it with '--embedder hash:32'");
    assertThat(HotMem.recordedEmbedder(db).orElseThrow()).hasToString("hash:32");
    try (HotMem mem = HotMem.open(HotMemConfig.builder(db).embedder(TARGET).build())) {
      assertThat(mem.count()).isEqualTo(ROWS - 1);
      assertThat(mem.info().embedderSpec()).isEqualTo("hash:32");
      assertThat(mem.recall("memory number 42").memories().get(0).content())
          .isEqualTo("memory number 42 about cats");
      mem.remember("written after the reindex"); // the guard lets the store's own model in
    }
  }

  @Test
  void anInterruptedRunLeavesTheOldStoreAndTheNextRunResumes() throws Exception {
    Map<String, String> before = fingerprint();
    Flaky crashing = new Flaky(TARGET, 4, null);
    assertThatThrownBy(
            () -> HotMem.reindex(db, crashing, ReindexOptions.defaults().withBatchSize(10)))
        .isInstanceOf(HotMemException.EmbeddingFailed.class)
        .hasMessageContaining("model crashed");
    // The old store, untouched and usable with its own embedder.
    assertThat(fingerprint()).isEqualTo(before);
    assertEveryRowIs(new HashEmbedder());
    try (HotMem mem = HotMem.open(db)) {
      assertThat(mem.recall("memory number 3").memories()).isNotEmpty();
    }
    assertThat(hasSideTable()).isTrue();

    Flaky counting = new Flaky(TARGET, -1, null);
    ReindexResult r = HotMem.reindex(db, counting, ReindexOptions.defaults().withBatchSize(10));
    assertThat(r.resumed()).isEqualTo(30); // three batches were kept
    assertThat(r.reembedded()).isEqualTo(ROWS - 30);
    assertThat(counting.texts.get()).isEqualTo(ROWS - 30);
    assertEveryRowIs(TARGET);
    assertThat(hasSideTable()).isFalse();
  }

  @Test
  void anotherTargetStartsOver() throws Exception {
    assertThatThrownBy(
            () ->
                HotMem.reindex(
                    db, new Flaky(TARGET, 3, null), ReindexOptions.defaults().withBatchSize(10)))
        .isInstanceOf(HotMemException.EmbeddingFailed.class);
    Embedder other = new HashEmbedder(48);
    ReindexResult r = HotMem.reindex(db, other, ReindexOptions.defaults().withBatchSize(10));
    assertThat(r.resumed()).isZero();
    assertThat(r.reembedded()).isEqualTo(ROWS);
    assertEveryRowIs(other);
  }

  @Test
  void rowsAnotherWriterAddsMeanwhileAreCaughtUpAndItsLaterWritesAreRefused() throws Exception {
    try (HotMem writer = HotMem.open(db)) { // another process's view: the old embedder
      AtomicInteger reports = new AtomicInteger();
      ReindexResult r =
          HotMem.reindex(
              db,
              TARGET,
              ReindexOptions.defaults()
                  .withBatchSize(10)
                  .withProgress(
                      (done, total) -> {
                        if (reports.incrementAndGet() == 3) {
                          writer.remember("added during the reindex");
                          writer.remember("and another one");
                        }
                      }));
      assertThat(r.total()).isEqualTo(ROWS + 2);
      assertEveryRowIs(TARGET);
      assertThatThrownBy(() -> writer.remember("written with the old embedder"))
          .isInstanceOf(HotMemException.IncompatibleStore.class)
          .hasMessageContaining("reindexed to another embedder");
    }
    assertEveryRowIs(TARGET);
  }

  @Test
  void aFailureOnARowAddedMeanwhileLeavesTheOldStore() throws Exception {
    try (HotMem writer = HotMem.open(db)) {
      AtomicInteger reports = new AtomicInteger();
      assertThatThrownBy(
              () ->
                  HotMem.reindex(
                      db,
                      new Flaky(TARGET, -1, "POISON"),
                      ReindexOptions.defaults()
                          .withBatchSize(10)
                          .withProgress(
                              (done, total) -> {
                                if (reports.incrementAndGet() == 11) {
                                  writer.remember("a POISON row added late");
                                }
                              })))
          .isInstanceOf(HotMemException.EmbeddingFailed.class);
      writer.remember("the old embedder still writes"); // no swap happened
    }
    assertEveryRowIs(new HashEmbedder());
    ReindexResult r = HotMem.reindex(db, TARGET, ReindexOptions.defaults().withBatchSize(10));
    assertThat(r.resumed()).isEqualTo(ROWS);
    assertThat(r.reembedded()).isEqualTo(2);
    assertEveryRowIs(TARGET);
  }

  @Test
  void theSameEmbedderIsANoOp() throws Exception {
    Map<String, String> before = fingerprint();
    ReindexResult r = HotMem.reindex(db, new HashEmbedder(), ReindexOptions.defaults());
    assertThat(r).isEqualTo(new ReindexResult(ROWS, 0, 0, "hash-v1-64", "hash-v1-64", "hash"));
    assertThat(r.changed()).isFalse();
    assertThat(fingerprint()).isEqualTo(before);
  }

  @Test
  void whatIsNotAStoreIsRefused() throws Exception {
    assertThatThrownBy(
            () -> HotMem.reindex(dir.resolve("none.sqlite"), TARGET, ReindexOptions.defaults()))
        .isInstanceOf(HotMemException.NotFound.class)
        .hasMessageContaining("no HotMem store at");
    assertThat(dir.resolve("none.sqlite")).doesNotExist();
    Path empty = Files.createFile(dir.resolve("empty.sqlite"));
    assertThatThrownBy(() -> HotMem.reindex(empty, TARGET, ReindexOptions.defaults()))
        .isInstanceOf(HotMemException.NotFound.class);
    assertThat(empty).isEmptyFile();
    Path junk = dir.resolve("junk.sqlite");
    Files.write(junk, "not a database, padded out. ".repeat(300).getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> HotMem.reindex(junk, TARGET, ReindexOptions.defaults()))
        .isInstanceOf(HotMemException.CorruptStore.class);
    assertThatThrownBy(() -> ReindexOptions.defaults().withBatchSize(0))
        .isInstanceOf(HotMemException.InvalidRequest.class)
        .hasMessageContaining("batch_size");
  }

  /** A target that fails at a given call, or on texts holding a word; counts texts embedded. */
  private static final class Flaky implements Embedder {
    final Embedder inner;
    final int failAtCall;
    final String poison;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger texts = new AtomicInteger();

    Flaky(Embedder inner, int failAtCall, String poison) {
      this.inner = inner;
      this.failAtCall = failAtCall;
      this.poison = poison;
    }

    @Override
    public String id() {
      return inner.id();
    }

    @Override
    public int dimension() {
      return inner.dimension();
    }

    @Override
    public String spec() {
      return inner.spec();
    }

    @Override
    public List<float[]> embed(List<String> batch) {
      if (calls.incrementAndGet() == failAtCall
          || poison != null && batch.stream().anyMatch(t -> t.contains(poison))) {
        throw new IllegalStateException("model crashed");
      }
      texts.addAndGet(batch.size());
      return inner.embed(batch);
    }
  }
}
