package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.EmbedderSpec;
import dev.hotmem.embed.HashEmbedder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema versions, ownership and embedder identity are checked on every open. */
class StoreCompatibilityTest {
  @TempDir Path dir;

  private static long pragma(Path file, String name) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      return rs.getLong(1);
    }
  }

  private static void exec(Path file, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void aNewStoreIsMarkedAsHotMemAtTheLatestSchema() throws Exception {
    Path file = dir.resolve("new.sqlite");
    HotMem.open(file).close();
    assertThat(pragma(file, "application_id")).isEqualTo(0x484D454D);
    assertThat(pragma(file, "user_version")).isEqualTo(5);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void aVersion1StoreIsMigratedToTheChangeCounter() throws Exception {
    Path file = dir.resolve("v1.sqlite");
    try (HotMem mem = HotMem.open(file)) {
      mem.remember("written before the migration");
    }
    // What a store written by the version-1 schema looks like.
    downgradeToVersion2(file);
    exec(file, "DROP TRIGGER memories_changes_insert");
    exec(file, "DROP TRIGGER memories_changes_delete");
    exec(file, "DROP TRIGGER memories_changes_update");
    exec(file, "DROP TABLE changes");
    exec(file, "PRAGMA user_version = 1");

    try (HotMem mem = HotMem.open(file)) {
      assertThat(pragma(file, "user_version")).isEqualTo(5);
      assertThat(mem.count()).isEqualTo(1);
      mem.remember("written after the migration");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT counter FROM changes")) {
      assertThat(rs.getLong(1)).as("counts from the migration on").isEqualTo(1);
    }
  }

  /** Undoes migration 5 (the log of row changes). */
  private static void downgradeToVersion4(Path file) throws Exception {
    exec(file, "DROP TRIGGER memories_events_update");
    exec(file, "DROP TRIGGER memories_events_delete");
    exec(file, "DROP TABLE row_events");
    exec(file, "DELETE FROM sqlite_sequence WHERE name = 'row_events'");
    exec(file, "PRAGMA user_version = 4");
  }

  @Test
  void aVersion4StoreGetsTheLogOfRowChanges() throws Exception {
    Path file = dir.resolve("v4.sqlite");
    String id;
    try (HotMem mem = HotMem.open(file)) {
      id = mem.remember("logged after the migration").memory().id();
      mem.remember("kept as it is");
    }
    downgradeToVersion4(file);
    try (HotMem mem = HotMem.open(file)) {
      assertThat(pragma(file, "user_version")).isEqualTo(5);
      mem.forget(id);
      mem.purge(id);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT e.id, e.seq FROM row_events e ORDER BY e.id")) {
      // The forget (a status change) and the purge (an erasure), both of the first row.
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(2)).isEqualTo(1);
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(2)).isEqualTo(1);
      assertThat(rs.next()).isFalse();
    }
  }

  /** Undoes migrations 5, 4 (the fact tables) and 3 (the context column and its search index). */
  private static void downgradeToVersion2(Path file) throws Exception {
    downgradeToVersion4(file);
    for (String table : new String[] {"fact_state", "fact_scopes", "fact_ticks", "fact_pressure"}) {
      exec(file, "DROP TABLE " + table);
    }
    exec(file, "DROP INDEX memories_ns_scope");
    exec(file, "DROP TRIGGER memories_fts_delete");
    exec(file, "DROP TRIGGER memories_fts_update");
    exec(file, "DROP TABLE memories_fts");
    exec(file, "ALTER TABLE memories DROP COLUMN context");
    exec(
        file,
        "CREATE VIRTUAL TABLE memories_fts USING fts5(content, identifier, content='memories',"
            + " content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2')");
    exec(file, "INSERT INTO memories_fts (memories_fts) VALUES ('rebuild')");
    exec(
        file,
        "CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN INSERT INTO"
            + " memories_fts (memories_fts, rowid, content, identifier) VALUES ('delete', old.seq,"
            + " old.content, old.identifier); END");
    exec(
        file,
        "CREATE TRIGGER memories_fts_update AFTER UPDATE OF content, identifier ON memories BEGIN"
            + " INSERT INTO memories_fts (memories_fts, rowid, content, identifier) VALUES"
            + " ('delete', old.seq, old.content, old.identifier); INSERT INTO memories_fts (rowid,"
            + " content, identifier) VALUES (new.seq, new.content, new.identifier); END");
    exec(file, "PRAGMA user_version = 2");
  }

  @Test
  void aVersion2StoreGetsTheContextAndKeepsItsMemoriesSearchable() throws Exception {
    Path file = dir.resolve("v2.sqlite");
    try (HotMem mem = HotMem.open(file)) {
      mem.remember(NewMemory.of("trip", "we drove to the mountains in June"));
    }
    downgradeToVersion2(file);
    try (HotMem mem = HotMem.open(file)) {
      assertThat(pragma(file, "user_version")).isEqualTo(5);
      // Rows written before the migration are in the rebuilt search index.
      assertThat(mem.recall("mountains").memories()).hasSize(1);
      Memory later =
          mem.remember(
                  NewMemory.builder("trip", "yes, twice").context("did you go skiing?").build())
              .memory();
      assertThat(mem.recall("skiing").memories().get(0).memoryId()).isEqualTo(later.id());
      assertThat(ftsMatches(file, "skiing")).isEqualTo(1);
      mem.forget(later.id());
      mem.purge(later.id()); // the delete trigger knows the new column
      assertThat(ftsMatches(file, "skiing")).isZero();
      assertThat(ftsMatches(file, "mountains")).isEqualTo(1);
    }
  }

  private static long ftsMatches(Path file, String word) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM memories_fts WHERE memories_fts MATCH '" + word + "'")) {
      return rs.getLong(1);
    }
  }

  @Test
  void reopeningAnUpToDateStoreKeepsItsData() {
    Path file = dir.resolve("again.sqlite");
    try (HotMem mem = HotMem.open(file)) {
      mem.remember("persisted fact");
    }
    try (HotMem mem = HotMem.open(file)) {
      assertThat(mem.count()).isEqualTo(1);
      assertThat(mem.recall("persisted").memories()).hasSize(1);
    }
  }

  @Test
  void aStoreWrittenByANewerSchemaIsRefusedNamingBothVersions() throws Exception {
    Path file = dir.resolve("newer.sqlite");
    HotMem.open(file).close();
    exec(file, "PRAGMA user_version = 7");
    assertThatThrownBy(() -> HotMem.open(file))
        .isInstanceOf(HotMemException.IncompatibleStore.class)
        .hasMessageContaining("schema version 7")
        .hasMessageContaining("supports (5)");
    assertThat(pragma(file, "user_version")).isEqualTo(7); // untouched
  }

  @Test
  void aDatabaseOfAnotherApplicationIsRefused() throws Exception {
    Path other = dir.resolve("other.sqlite");
    exec(other, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
    assertThatThrownBy(() -> HotMem.open(other))
        .isInstanceOf(HotMemException.IncompatibleStore.class)
        .hasMessageContaining("another application");

    Path foreign = dir.resolve("foreign.sqlite");
    exec(foreign, "PRAGMA application_id = 1234");
    assertThatThrownBy(() -> HotMem.open(foreign))
        .isInstanceOf(HotMemException.IncompatibleStore.class)
        .hasMessageContaining("expected application_id 0x484d454d, found 0x4d2");
  }

  @Test
  void aFileThatIsNotADatabaseIsReportedCorrupt() throws Exception {
    Path junk = dir.resolve("junk.sqlite");
    Files.write(
        junk,
        "this is not a database, just some text padded out. "
            .repeat(200)
            .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> HotMem.open(junk))
        .isInstanceOf(HotMemException.CorruptStore.class)
        .hasMessageContaining("junk.sqlite");
  }

  @Test
  void openingWithAnotherEmbedderIsAClearError() {
    Path file = dir.resolve("emb.sqlite");
    try (HotMem mem = HotMem.open(file)) {
      mem.remember("a fact embedded with the 64-dimension hash embedder");
    }
    HotMemConfig other = HotMemConfig.builder(file).embedder(new HashEmbedder(128)).build();
    assertThatThrownBy(() -> HotMem.open(other))
        .isInstanceOf(HotMemException.IncompatibleStore.class)
        .hasMessageContaining("hash-v1-64 (dimension 64, spec hash)")
        .hasMessageContaining("hash-v1-128 (dimension 128, spec hash:128)")
        .hasMessageContaining("run 'hotmem reindex --embedder hash:128' to convert it")
        .hasMessageContaining("or open it with '--embedder hash'");
    // The store is intact and still opens with its own embedder.
    try (HotMem mem = HotMem.open(file)) {
      assertThat(mem.count()).isEqualTo(1);
    }
  }

  @Test
  void theStoreRecordsItsEmbedderSpec() throws Exception {
    Path file = dir.resolve("spec.sqlite");
    assertThat(HotMem.recordedEmbedder(file)).isEmpty();
    assertThat(file).doesNotExist(); // looking creates nothing
    HotMemConfig config = HotMemConfig.builder(file).embedder(new HashEmbedder(32)).build();
    try (HotMem mem = HotMem.open(config)) {
      assertThat(mem.info().embedderSpec()).isEqualTo("hash:32");
    }
    assertThat(HotMem.recordedEmbedder(file)).contains(EmbedderSpec.parse("hash:32"));
    assertThat(metaValue(file, "embedder_spec")).isEqualTo("hash:32");
  }

  @Test
  void aStoreWithoutARecordedSpecGetsOneInferredThenRecorded() throws Exception {
    Path file = dir.resolve("old.sqlite");
    HotMem.open(file).close();
    exec(file, "DELETE FROM meta WHERE key = 'embedder_spec'"); // as written before specs existed
    assertThat(HotMem.recordedEmbedder(file)).contains(EmbedderSpec.parse("hash"));
    try (HotMem mem = HotMem.open(file)) {
      assertThat(mem.info().embedderSpec()).isEqualTo("hash");
    }
    assertThat(metaValue(file, "embedder_spec")).isEqualTo("hash");
  }

  @Test
  void anEmbedderWithoutASpecRecordsNoneAndTheMismatchSaysSo() throws Exception {
    Path file = dir.resolve("custom.sqlite");
    Embedder custom = new Custom();
    try (HotMem mem = HotMem.open(HotMemConfig.builder(file).embedder(custom).build())) {
      assertThat(mem.info().embedderSpec()).isNull();
    }
    assertThat(HotMem.recordedEmbedder(file)).isEmpty();
    assertThatThrownBy(() -> HotMem.open(file))
        .isInstanceOf(HotMemException.IncompatibleStore.class)
        .hasMessageContaining("custom-v1 (dimension 3)")
        .hasMessageContaining("hotmem reindex --embedder hash'")
        .hasMessageContaining("open it with the embedder it was created with");
    HotMem.open(HotMemConfig.builder(file).embedder(custom).build()).close();
  }

  /**
   * Several processes starting on a new file at once (two MCP clients on first use) each see an
   * empty file or a whole HotMem store, never the moment between: the header and the tables are
   * read in one snapshot. Threads of one JVM race as processes do: each store has its own
   * connections.
   */
  @Test
  void manyOpenersOfANewFileAtOnceAllSucceed() throws Exception {
    int openers = 6;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(openers);
    try {
      for (int round = 0; round < 25; round++) {
        Path file = dir.resolve("race" + round + ".sqlite");
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(openers);
        java.util.List<java.util.concurrent.Future<Long>> opened = new java.util.ArrayList<>();
        for (int i = 0; i < openers; i++) {
          boolean peekFirst = i % 2 == 0; // as the CLI does, to choose the embedder
          opened.add(
              pool.submit(
                  () -> {
                    start.await();
                    if (peekFirst) {
                      HotMem.recordedEmbedder(file);
                    }
                    try (HotMem hotMem = HotMem.open(file)) {
                      hotMem.remember(NewMemory.of("race", "opened by one of many"));
                      return hotMem.count();
                    }
                  }));
        }
        for (java.util.concurrent.Future<Long> f : opened) {
          assertThat(f.get()).isEqualTo(1);
        }
        assertThat(pragma(file, "user_version")).isEqualTo(5);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void recordedEmbedderRefusesFilesThatAreNotStores() throws Exception {
    Path junk = dir.resolve("junk.sqlite");
    Files.write(
        junk, "not a database at all, padded. ".repeat(200).getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> HotMem.recordedEmbedder(junk))
        .isInstanceOf(HotMemException.CorruptStore.class);
    Path foreign = dir.resolve("foreign.sqlite");
    exec(foreign, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
    assertThatThrownBy(() -> HotMem.recordedEmbedder(foreign))
        .isInstanceOf(HotMemException.IncompatibleStore.class);
    Path hostile = dir.resolve("hostile.sqlite");
    HotMem.open(hostile).close();
    exec(hostile, "UPDATE meta SET value = ' :bad' WHERE key = 'embedder_spec'");
    assertThatThrownBy(() -> HotMem.recordedEmbedder(hostile))
        .isInstanceOf(HotMemException.CorruptStore.class)
        .hasMessageContaining("not one");
    Path empty = dir.resolve("empty.sqlite");
    Files.createFile(empty);
    assertThat(HotMem.recordedEmbedder(empty)).isEmpty();
  }

  private static String metaValue(Path file, String key) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = '" + key + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static final class Custom implements Embedder {
    @Override
    public String id() {
      return "custom-v1";
    }

    @Override
    public int dimension() {
      return 3;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      return texts.stream().map(t -> new float[] {1, t.length(), 2}).toList();
    }
  }
}
