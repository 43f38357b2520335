package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.internal.index.JVectorIndex;
import dev.hotmem.internal.trace.RecordingSlf4jProvider;
import dev.hotmem.internal.trace.RecordingSlf4jProvider.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * The engine's ANN side-file: written on close, loaded on open when it matches the store,
 * reconciled with the store when other processes changed it since, and rebuilt from SQLite (with a
 * logged reason) when it is damaged, another store's or newer than the store. {@code
 * annThreshold(0)} puts every store on the graph index.
 */
class AnnIndexPersistenceTest {
  /** The index logged a warning about {@code file} containing {@code text}. */
  private static void assertWarned(Path file, String text) {
    assertThat(indexLog(file))
        .anySatisfy(
            e -> {
              assertThat(e.level()).isEqualTo(Level.WARN);
              assertThat(e.message()).contains(text);
            });
  }

  private static final String[] TOPICS = {
    "invoice", "flight", "garden", "guitar", "kernel", "recipe", "marathon", "telescope"
  };

  @TempDir Path dir;

  @BeforeEach
  void clearLog() {
    RecordingSlf4jProvider.clear();
  }

  private HotMem open(Path file) {
    // Access counts and recency would move rankings between sessions; only the index should.
    return HotMem.open(
        HotMemConfig.builder(file).annThreshold(0).accessWeight(0).recencyWeight(0).build());
  }

  private static void fill(HotMem mem, int n) {
    fillFrom(mem, 0, n);
  }

  /** Memories number {@code from} to {@code from + n - 1} (the same numbers are duplicates). */
  private static void fillFrom(HotMem mem, int from, int n) {
    List<NewMemory> batch = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      String topic = TOPICS[i % TOPICS.length];
      batch.add(NewMemory.of("user" + (i % 3), topic + " note number " + i + " about " + topic));
    }
    mem.rememberAll(batch);
  }

  private static List<String> ids(HotMem mem, String query) {
    return mem.recall(RecallQuery.builder(query).topK(10).build()).memories().stream()
        .map(MemoryMessage::memoryId)
        .toList();
  }

  private static List<Event> indexLog(Path file) {
    String name = file.getFileName() + ".ann";
    return RecordingSlf4jProvider.events().stream()
        .filter(e -> e.message().startsWith("vector index:"))
        .filter(e -> e.message().contains(name) || e.message().contains("rebuilt"))
        .toList();
  }

  private static void sql(Path file, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static long changeCounter(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT counter FROM changes")) {
      return rs.getLong(1);
    }
  }

  @Test
  void closeWritesTheSideFileAndOpenLoadsItWithTheSameAnswers() {
    Path file = dir.resolve("a.sqlite");
    List<String> before;
    try (HotMem mem = open(file)) {
      fill(mem, 400);
      String forgotten = ids(mem, "garden").get(0);
      mem.forget(forgotten);
      before = ids(mem, "garden note");
      assertThat(before).doesNotContain(forgotten);
    }
    assertThat(file.resolveSibling("a.sqlite.ann")).exists();

    RecordingSlf4jProvider.clear();
    try (HotMem mem = open(file)) {
      assertThat(ids(mem, "garden note")).isEqualTo(before);
      assertThat(indexLog(file))
          .extracting(Event::message)
          .anySatisfy(m -> assertThat(m).startsWith("vector index: loaded 399 entries from"));
      fill(mem, 5);
    }
  }

  /**
   * A side-file written before the store changed (another process's inserts, forgets, erasures and
   * status changes) is loaded and reconciled, not rebuilt, and answers as a rebuilt index does.
   */
  @Test
  void aStaleSideFileIsReconciledAndAnswersAsARebuild() throws Exception {
    Path file = dir.resolve("b.sqlite");
    Path ann = file.resolveSibling("b.sqlite.ann");
    Path old = dir.resolve("b-old.ann");
    try (HotMem mem = open(file)) {
      fill(mem, 200);
    }
    long atFirstClose = changeCounter(file);
    Files.copy(ann, old);
    try (HotMem mem = open(file)) {
      mem.forget(ids(mem, "garden").get(0));
      mem.purge(ids(mem, "kernel").get(0));
      fillFrom(mem, 200, 10); // rows past the old file's last key
    }
    // The older file, as if this process had written it and others wrote the rest; and one more
    // foreign change, by plain SQL.
    Files.copy(old, ann, StandardCopyOption.REPLACE_EXISTING);
    sql(file, "UPDATE memories SET status = 'archived' WHERE seq = 7");
    long now = changeCounter(file);
    assertThat(now).isGreaterThan(atFirstClose);

    String[] queries = {"garden note", "kernel note", "note number 7", "note number 205"};
    List<List<String>> reconciled = new ArrayList<>();
    RecordingSlf4jProvider.clear();
    try (HotMem mem = open(file)) {
      assertThat(mem.count()).isEqualTo(207); // active: 210 less forgotten, erased, archived
      for (String q : queries) {
        reconciled.add(ids(mem, q));
      }
      assertThat(indexLog(file))
          .extracting(Event::message)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .startsWith("vector index: loaded 200 entries from b.sqlite.ann")
                      .contains(
                          "reconciled with the store (the file includes change "
                              + atFirstClose
                              + ", the store is at change "
                              + now
                              + "): 2 removed, 1 statuses changed"))
          .noneSatisfy(m -> assertThat(m).contains("rebuilt"));
    }
    Files.delete(ann);
    try (HotMem mem = open(file)) {
      for (int i = 0; i < queries.length; i++) {
        assertThat(ids(mem, queries[i])).as(queries[i]).isEqualTo(reconciled.get(i));
      }
    }
  }

  @Test
  void aStaleSideFileThatLacksAStoredRowIsRebuilt() throws Exception {
    Path file = dir.resolve("b3.sqlite");
    String forgotten;
    try (HotMem mem = open(file)) {
      fill(mem, 100);
      forgotten = ids(mem, "telescope").get(0);
      mem.forget(forgotten); // leaves the index: the file will not hold it
    }
    // No HotMem path brings a forgotten memory back; a hand edit can.
    sql(file, "UPDATE memories SET status = 'active' WHERE id = '" + forgotten + "'");
    RecordingSlf4jProvider.clear();
    try (HotMem mem = open(file)) {
      assertWarned(file, "the file lacks 1 rows the store has");
      assertThat(mem.vectorIndex().entries()).isEqualTo(100);
      assertThat(ids(mem, "telescope note")).contains(forgotten);
    }
  }

  @Test
  void aSideFileNewerThanTheStoreIsRebuilt() throws Exception {
    Path file = dir.resolve("b2.sqlite");
    Path copy = dir.resolve("b2-old.sqlite");
    try (HotMem mem = open(file)) {
      fill(mem, 100);
    }
    Files.copy(file, copy); // a backup
    try (HotMem mem = open(file)) {
      fillFrom(mem, 100, 5);
    }
    // The backup restored beside the newer file.
    Files.copy(copy, file, StandardCopyOption.REPLACE_EXISTING);
    RecordingSlf4jProvider.clear();
    try (HotMem mem = open(file)) {
      assertThat(mem.count()).isEqualTo(100);
      assertThat(ids(mem, "garden note")).isNotEmpty();
      assertWarned(file, "newer than the store");
    }
  }

  @Test
  void aDamagedSideFileIsRebuiltWithAWarningAndAnswersStayTheSame() throws Exception {
    Path file = dir.resolve("c.sqlite");
    List<String> before;
    try (HotMem mem = open(file)) {
      fill(mem, 200);
      before = ids(mem, "kernel note");
    }
    Path ann = file.resolveSibling("c.sqlite.ann");
    byte[] bytes = Files.readAllBytes(ann);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(ann, bytes);

    try (HotMem mem = open(file)) {
      assertThat(ids(mem, "kernel note")).isEqualTo(before);
      assertWarned(file, "damaged: checksum expected");
    }
  }

  @Test
  void anotherStoresSideFileIsNotTrusted() throws Exception {
    Path a = dir.resolve("d1.sqlite");
    Path b = dir.resolve("d2.sqlite");
    try (HotMem mem = open(a)) {
      fill(mem, 100);
    }
    try (HotMem mem = open(b)) {
      fill(mem, 100);
    }
    Files.copy(
        a.resolveSibling("d1.sqlite.ann"),
        b.resolveSibling("d2.sqlite.ann"),
        StandardCopyOption.REPLACE_EXISTING);

    try (HotMem mem = open(b)) {
      assertThat(mem.count()).isEqualTo(100);
      assertWarned(b, "another store's file: expected store id");
    }
  }

  @Test
  void aChangeByAnotherProcessDuringTheSessionIsReconciledAtTheNextOpen() throws Exception {
    Path file = dir.resolve("e.sqlite");
    try (HotMem mem = open(file)) {
      fill(mem, 100);
    }
    long before = changeCounter(file);
    try (HotMem mem = open(file)) {
      sql(file, "UPDATE memories SET status = 'forgotten' WHERE seq = 3");
      // A write of this process after the foreign one does not make the index current again.
      fillFrom(mem, 100, 3);
    }
    assertThat(file.resolveSibling("e.sqlite.ann")).exists();
    assertThat(indexLog(file))
        .extracting(Event::message)
        .anySatisfy(
            m ->
                assertThat(m)
                    // The forget reached the index through the store's log of row changes...
                    .contains("saved 102 entries")
                    // ...but the file cannot vouch for the counter past a foreign change.
                    .contains("another process changed the store since change " + before));
    RecordingSlf4jProvider.clear();
    try (HotMem mem = open(file)) {
      assertThat(mem.count()).isEqualTo(102);
      assertThat(indexLog(file))
          .extracting(Event::message)
          .anySatisfy(m -> assertThat(m).contains("0 removed, 0 statuses changed"));
    }
  }

  @Test
  void theChangeCounterMovesWithIndexedChangesOnly() throws Exception {
    Path file = dir.resolve("f.sqlite");
    String id;
    try (HotMem mem = open(file)) {
      id = mem.remember("a fact to change").memory().id();
    }
    long start = changeCounter(file);
    try (HotMem mem = open(file)) {
      mem.update(id, new MemoryUpdate(0.9, null, "work"));
      mem.recall("fact");
      mem.flush();
    }
    assertThat(changeCounter(file))
        .as("importance, category, access: not indexed")
        .isEqualTo(start);
    try (HotMem mem = open(file)) {
      mem.remember("another fact");
      mem.forget(id);
    }
    assertThat(changeCounter(file)).isEqualTo(start + 2);
  }

  /**
   * A store past the threshold opened without a side-file answers at once (exact search) while its
   * graph builds in the background; once the graph is in use it is saved (before any close) and the
   * next open loads it.
   */
  @Test
  void aLargeStoreWithoutSideFileAnswersWhileItsGraphBuildsThenSavesIt() throws Exception {
    Path file = dir.resolve("g.sqlite");
    try (HotMem mem =
        HotMem.open(HotMemConfig.builder(file).annThreshold(Integer.MAX_VALUE).build())) {
      fill(mem, 9000);
    }
    assertThat(file.resolveSibling("g.sqlite.ann")).doesNotExist();

    HotMemConfig graphAbove5000 = HotMemConfig.builder(file).annThreshold(5000).build();
    try (HotMem mem = HotMem.open(graphAbove5000)) {
      assertThat(indexLog(file))
          .extracting(Event::message)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .startsWith("vector index: loaded 9000 vectors from the store")
                      .contains("building the graph in the background (missing: no g.sqlite.ann)"));
      VectorIndexStatus meanwhile = mem.vectorIndex();
      // Exact search answers while the graph builds (unless the build already ended).
      assertThat(meanwhile.building() || meanwhile.kind() == VectorIndexStatus.Kind.GRAPH)
          .as("%s", meanwhile)
          .isTrue();
      if (meanwhile.building()) {
        assertThat(meanwhile.kind()).isEqualTo(VectorIndexStatus.Kind.EXACT);
        assertThat(meanwhile.entries()).isEqualTo(9000);
      }
      assertThat(mem.recall("telescope note").memories()).isNotEmpty();
      // The build runs on its own thread; wait for it (bounded) before closing.
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (mem.vectorIndex().kind() != VectorIndexStatus.Kind.GRAPH
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(mem.vectorIndex().building()).isFalse();
      assertThat(RecordingSlf4jProvider.events())
          .extracting(Event::message)
          .anySatisfy(m -> assertThat(m).startsWith("vector index: graph of 9000 entries in use"));
      assertThat(mem.recall("telescope note").memories()).isNotEmpty();
      // Saved once in use, before any close: a process killed from now on keeps its graph.
      Path ann = file.resolveSibling("g.sqlite.ann");
      while (!Files.exists(ann) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(ann).exists();
      assertThat(indexLog(file))
          .extracting(Event::message)
          .anySatisfy(m -> assertThat(m).startsWith("vector index: saved 9000 entries"));
    }
    assertThat(file.resolveSibling("g.sqlite.ann")).exists();

    RecordingSlf4jProvider.clear();
    try (HotMem mem = HotMem.open(graphAbove5000)) {
      assertThat(mem.count()).isEqualTo(9000);
      // Loaded from the side-file: the graph serves from the start.
      assertThat(mem.vectorIndex())
          .isEqualTo(
              new VectorIndexStatus(
                  VectorIndexStatus.Kind.GRAPH,
                  9000,
                  false,
                  JVectorIndex.Params.DEFAULT.searchBeamFor(9000)));
      assertThat(indexLog(file))
          .extracting(Event::message)
          .anySatisfy(m -> assertThat(m).startsWith("vector index: loaded 9000 entries from"));
    }
  }
}
