package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.MemoryMessage;
import dev.hotmem.MemoryStatus;
import dev.hotmem.MemoryUpdate;
import dev.hotmem.NewMemory;
import dev.hotmem.RecallQuery;
import dev.hotmem.RecallResult;
import dev.hotmem.Tracing;
import dev.hotmem.internal.search.KeywordIndex;
import dev.hotmem.internal.store.MemoryRepository;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-memory keyword index follows the store: it loads in the background, answers once it holds
 * every row, takes in this process's and other processes' new rows at the next recall, follows
 * forgets, erasures and status changes, and leaves a large backlog to FTS5 meanwhile.
 */
class KeywordSyncTest {
  private static final String[] TOPICS = {
    "painting", "hiking", "camping", "cooking", "reading", "swimming", "guitar", "dancing"
  };

  @TempDir Path dir;

  private static List<NewMemory> notes(int n, int salt) {
    List<NewMemory> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String topic = TOPICS[(i * 7 + salt) % TOPICS.length];
      String other = TOPICS[(i * 3 + salt + 1) % TOPICS.length];
      out.add(
          NewMemory.builder(i % 3 == 0 ? "caroline" : "melanie", topic + " with " + other + " " + i)
              .context(i % 4 == 0 ? "asked about " + other + " plans " + salt : null)
              .importance((i * 37 % 11) / 10.0)
              .build());
    }
    return out;
  }

  private static KeywordSync keywords(HotMem mem) {
    return EngineAccess.engine(mem).keywordSync();
  }

  private static void awaitLoaded(HotMem mem) throws InterruptedException {
    MemoryEngine engine = EngineAccess.engine(mem);
    long max = engine.read("max", MemoryRepository::maxSeq);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (keywords(mem).index().loadedUpTo() < max) {
      assertThat(System.nanoTime()).as("the keyword index loads").isLessThan(deadline);
      mem.recall(RecallQuery.of("anything")); // catches up, or starts the loader
      Thread.sleep(5);
    }
  }

  private static List<String> ids(RecallResult r) {
    return r.memories().stream().map(MemoryMessage::memoryId).toList();
  }

  private static List<Double> scores(RecallResult r) {
    return r.memories().stream().map(MemoryMessage::score).toList();
  }

  // Trace lines go to the System.err of the moment the store opens: captured for every test.
  private PrintStream originalErr;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void captureTraces() {
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreErr() {
    System.setErr(originalErr);
  }

  /** Runs {@code work}; returns the trace lines it wrote. */
  private String traced(Runnable work) {
    err.reset();
    work.run();
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void recallFromTheIndexEqualsRecallFromFts5() throws Exception {
    Path file = dir.resolve("same.sqlite");
    try (HotMem writer = HotMem.open(file)) {
      writer.rememberAll(notes(1_200, 0));
    }
    // No recency or access weight: the two handles recall a few milliseconds apart, and each
    // counts its own accesses.
    try (HotMem memory =
            HotMem.open(
                HotMemConfig.builder(file)
                    .recencyWeight(0)
                    .accessWeight(0)
                    .tracing(Tracing.STDERR)
                    .build());
        HotMem fts =
            HotMem.open(
                HotMemConfig.builder(file)
                    .recencyWeight(0)
                    .accessWeight(0)
                    .keywordIndex(false)
                    .build())) {
      awaitLoaded(memory);
      String[] queries = {
        "painting",
        "caroline hiking",
        "what did melanie say about camping plans",
        "guitar 17",
        "swimming dancing reading",
        "asked about cooking"
      };
      for (String q : queries) {
        for (RecallQuery query :
            List.of(
                RecallQuery.builder(q).topK(10).build(),
                RecallQuery.builder(q).topK(5).identifier("caroline").build())) {
          RecallResult[] fromMemory = new RecallResult[1];
          String trace = traced(() -> fromMemory[0] = memory.recall(query));
          RecallResult fromFts = fts.recall(query);

          assertThat(trace).as(q).contains("\"keyword_index\": \"memory\"");
          assertThat(ids(fromMemory[0])).as(q).isEqualTo(ids(fromFts));
          assertThat(scores(fromMemory[0])).as(q).isEqualTo(scores(fromFts));
        }
      }
    }
  }

  @Test
  void importanceChangedHereOrOfALeaderElsewhereRanksAsInFts5() throws Exception {
    Path file = dir.resolve("importance.sqlite");
    try (HotMem writer = HotMem.open(file)) {
      writer.rememberAll(notes(600, 5));
    }
    HotMemConfig.Builder fixed = HotMemConfig.builder(file).recencyWeight(0).accessWeight(0);
    try (HotMem memory = HotMem.open(fixed.build());
        HotMem fts = HotMem.open(fixed.keywordIndex(false).build())) {
      awaitLoaded(memory);
      RecallQuery query = RecallQuery.builder("hiking camping").topK(5).build();
      List<String> before = ids(memory.recall(query));
      // Raise the importance of the row just outside the top 5 here (the index follows), and lower
      // the best one's elsewhere (the index's hint is stale: recall must notice).
      String sixth =
          ids(memory.recall(RecallQuery.builder("hiking camping").topK(6).build())).get(5);
      memory.update(sixth, MemoryUpdate.importance(1.0));
      fts.update(before.get(0), MemoryUpdate.importance(0.0));

      RecallResult fromMemory = memory.recall(query);
      RecallResult fromFts = fts.recall(query);

      assertThat(ids(fromFts)).as("the raised row made the top 5").contains(sixth);
      assertThat(ids(fromFts)).as("the lowered one left it").doesNotContain(before.get(0));
      assertThat(ids(fromMemory)).isEqualTo(ids(fromFts));
      assertThat(scores(fromMemory)).isEqualTo(scores(fromFts));
    }
  }

  @Test
  void aRowWhoseImportanceThisProcessRaisedIsFound() throws Exception {
    raiseTheLastOfTwentyAndFindIt("raised.sqlite", false);
  }

  @Test
  void aRowWhoseImportanceAnotherProcessRaisedIsFound() throws Exception {
    // This process's index learns of it from the store's log of row changes.
    raiseTheLastOfTwentyAndFindIt("raised-elsewhere.sqlite", true);
  }

  /**
   * Twenty rows with the same bm25, the first five more important: the top five are those. Raising
   * the last one's importance (here or through another handle) must bring it into the top five,
   * although the keyword index held it below the bar.
   */
  private void raiseTheLastOfTwentyAndFindIt(String name, boolean elsewhere) throws Exception {
    HotMemConfig.Builder fixed =
        HotMemConfig.builder(dir.resolve(name)).vectorWeight(0).recencyWeight(0).accessWeight(0);
    try (HotMem mem = HotMem.open(fixed.build());
        HotMem other = HotMem.open(fixed.build())) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String letter = String.valueOf((char) ('a' + i));
        ids.add(
            mem.remember(
                    NewMemory.builder("general", "kiwi note " + letter)
                        .importance(i < 5 ? 1.0 : 0.0)
                        .build())
                .memory()
                .id());
      }
      awaitLoaded(mem);
      RecallQuery query = RecallQuery.builder("kiwi").topK(5).build();
      assertThat(ids(mem.recall(query))).containsExactlyInAnyOrderElementsOf(ids.subList(0, 5));

      (elsewhere ? other : mem)
          .update(ids.get(19), MemoryUpdate.importance(1.0)); // newer wins ties

      assertThat(ids(mem.recall(query))).startsWith(ids.get(19));
      long seq =
          EngineAccess.engine(mem).read("seq", c -> MemoryRepository.findAny(c, ids.get(19)).seq());
      double[] importance = new double[1];
      keywords(mem).index().hints(new long[] {seq}, importance, new long[1]);
      assertThat(importance[0]).isEqualTo(1.0);
    }
  }

  @Test
  void forgottenErasedAndSupersededRowsFollow() throws Exception {
    forgetEraseSupersedeAndFollow("status.sqlite", false);
  }

  @Test
  void forgetsErasuresAndStatusChangesOfAnotherProcessReachTheIndex() throws Exception {
    forgetEraseSupersedeAndFollow("status-elsewhere.sqlite", true);
  }

  /**
   * Forgets, erases and supersedes a row each (here or through another handle, by plain SQL for the
   * supersession): the next recall's index has every change, with FTS5's statistics.
   */
  private void forgetEraseSupersedeAndFollow(String name, boolean elsewhere) throws Exception {
    Path file = dir.resolve(name);
    try (HotMem mem = HotMem.open(HotMemConfig.builder(file).tracing(Tracing.STDERR).build());
        HotMem other = HotMem.open(HotMemConfig.builder(file).keywordIndex(false).build())) {
      mem.rememberAll(notes(200, 4));
      String forgotten = mem.remember(NewMemory.of("oboe one")).memory().id();
      String erased = mem.remember(NewMemory.of("oboe two")).memory().id();
      String superseded = mem.remember(NewMemory.of("oboe three")).memory().id();
      String kept = mem.remember(NewMemory.of("oboe four")).memory().id();
      awaitLoaded(mem);
      MemoryEngine engine = EngineAccess.engine(mem);
      long rowsBefore = keywords(mem).index().rows();
      long forgottenSeq = engine.read("seq", c -> MemoryRepository.findAny(c, forgotten).seq());
      long supersededSeq = engine.read("seq", c -> MemoryRepository.findAny(c, superseded).seq());

      HotMem actor = elsewhere ? other : mem;
      actor.forget(forgotten);
      actor.purge(erased);
      EngineAccess.engine(actor)
          .writeTracked(
              "supersede",
              (c, changed) -> {
                c.prepare("UPDATE memories SET status = 'superseded' WHERE seq = " + supersededSeq)
                    .executeUpdate();
                changed.accept(supersededSeq, MemoryStatus.SUPERSEDED);
                return null;
              });
      RecallResult[] hits = new RecallResult[1];
      String trace = traced(() -> hits[0] = mem.recall(RecallQuery.builder("oboe").build()));

      assertThat(trace).contains("\"keyword_index\": \"memory\"");
      assertThat(ids(hits[0])).contains(kept).doesNotContain(forgotten, erased, superseded);
      KeywordIndex index = keywords(mem).index();
      assertThat(index.statusOf(forgottenSeq)).isEqualTo(MemoryStatus.FORGOTTEN);
      assertThat(index.statusOf(supersededSeq)).isEqualTo(MemoryStatus.SUPERSEDED);
      // As FTS5 counts: every row of any status, the erased one gone.
      assertThat(index.rows()).isEqualTo(rowsBefore - 1);
      assertThat(index.documentFrequency("oboe")).isEqualTo(3);
    }
  }

  @Test
  void aProcessThatMissedLoggedChangesLoadsItsIndexAgain() throws Exception {
    Path file = dir.resolve("missed.sqlite");
    try (HotMem mem = HotMem.open(HotMemConfig.builder(file).tracing(Tracing.STDERR).build());
        HotMem other = HotMem.open(HotMemConfig.builder(file).keywordIndex(false).build())) {
      mem.rememberAll(notes(200, 6));
      String first = mem.remember(NewMemory.of("ocarina one")).memory().id();
      String second = mem.remember(NewMemory.of("ocarina two")).memory().id();
      String kept = mem.remember(NewMemory.of("ocarina three")).memory().id();
      awaitLoaded(mem);
      mem.recall(RecallQuery.of("ocarina")); // the index has read the log up to here
      long firstSeq =
          EngineAccess.engine(mem).read("seq", c -> MemoryRepository.findAny(c, first).seq());

      other.forget(first);
      other.forget(second);
      // As if the log had moved on by more than it keeps: the first entry this process needs is
      // gone.
      EngineAccess.engine(other)
          .writeTracked(
              "prune",
              (c, changed) ->
                  c.prepare(
                          "DELETE FROM row_events WHERE id = (SELECT max(id) - 1 FROM row_events)")
                      .executeUpdate());

      RecallResult[] hits = new RecallResult[1];
      String trace = traced(() -> hits[0] = mem.recall(RecallQuery.builder("ocarina").build()));
      assertThat(trace).contains("\"keyword_index\": \"fts5\"");
      assertThat(ids(hits[0])).startsWith(kept).doesNotContain(first, second);

      awaitLoaded(mem);
      trace = traced(() -> hits[0] = mem.recall(RecallQuery.builder("ocarina").build()));
      assertThat(trace).contains("\"keyword_index\": \"memory\"");
      assertThat(ids(hits[0])).startsWith(kept).doesNotContain(first, second);
      assertThat(keywords(mem).index().statusOf(firstSeq)).isEqualTo(MemoryStatus.FORGOTTEN);
    }
  }

  @Test
  void newRowsFromThisAndOtherProcessesAreFoundAtTheNextRecall() throws Exception {
    Path file = dir.resolve("new.sqlite");
    try (HotMem mem = HotMem.open(HotMemConfig.builder(file).tracing(Tracing.STDERR).build());
        HotMem other = HotMem.open(HotMemConfig.builder(file).keywordIndex(false).build())) {
      mem.rememberAll(notes(300, 1));
      awaitLoaded(mem);

      String mine = mem.remember(NewMemory.of("zither lessons on fridays")).memory().id();
      String theirs = other.remember(NewMemory.of("zither repairs downtown")).memory().id();
      RecallResult[] hits = new RecallResult[1];
      String trace = traced(() -> hits[0] = mem.recall(RecallQuery.builder("zither").build()));

      assertThat(ids(hits[0]).subList(0, 2)).containsExactlyInAnyOrder(mine, theirs);
      assertThat(trace).contains("\"keyword_index\": \"memory\"");
    }
  }

  @Test
  void aFailedBackgroundLoadIsRetriedTenSecondsLaterWhileFts5Answers() throws Exception {
    Path file = dir.resolve("retry.sqlite");
    dev.hotmem.MutableClock clock = new dev.hotmem.MutableClock();
    try (HotMem mem =
            HotMem.open(HotMemConfig.builder(file).clock(clock).tracing(Tracing.STDERR).build());
        HotMem other = HotMem.open(HotMemConfig.builder(file).keywordIndex(false).build())) {
      mem.rememberAll(notes(KeywordSync.INLINE_ROWS + 500, 7)); // too many to load inline
      String gone = mem.remember(NewMemory.of("harpsichord lessons")).memory().id();
      String needle = mem.remember(NewMemory.of("harpsichord in the hall")).memory().id();
      awaitLoaded(mem);
      mem.recall(RecallQuery.of("harpsichord")); // the index has read the log up to here
      // Make this process start a new index (it missed a logged change), whose load fails.
      other.forget(gone);
      EngineAccess.engine(other)
          .writeTracked(
              "prune", (c, changed) -> c.prepare("DELETE FROM row_events").executeUpdate());
      other.remember(NewMemory.of("a later change, so the log is not empty"));
      EngineAccess.engine(other)
          .writeTracked(
              "change",
              (c, changed) ->
                  c.prepare("UPDATE memories SET importance = 0.99 WHERE id = '" + needle + "'")
                      .executeUpdate());
      KeywordSync keywords = keywords(mem);
      keywords.failBackgroundBatches(1);

      RecallQuery query = RecallQuery.builder("harpsichord").build();
      RecallResult[] hits = new RecallResult[1];
      String trace = traced(() -> hits[0] = mem.recall(query));
      assertThat(trace).contains("\"keyword_index\": \"fts5\"");
      assertThat(ids(hits[0])).startsWith(needle).doesNotContain(gone);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (keywords.isLoadingInBackground()) { // the new index's load, failing
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(5);
      }

      // Within ten seconds no recall starts another load; FTS5 answers.
      clock.advance(java.time.Duration.ofMillis(KeywordSync.RETRY_MILLIS - 1));
      trace = traced(() -> hits[0] = mem.recall(query));
      assertThat(keywords.isLoadingInBackground()).isFalse();
      assertThat(keywords.index().loadedUpTo()).isZero();
      assertThat(trace).contains("\"keyword_index\": \"fts5\"");
      assertThat(ids(hits[0])).startsWith(needle);

      // Ten seconds after the failure, the next recall starts it again, and it succeeds.
      clock.advance(java.time.Duration.ofMillis(1));
      awaitLoaded(mem);
      trace = traced(() -> hits[0] = mem.recall(query));
      assertThat(trace).contains("\"keyword_index\": \"memory\"");
      assertThat(ids(hits[0])).startsWith(needle).doesNotContain(gone);
    }
  }

  @Test
  void aLargeBacklogIsLeftToFts5WhileTheIndexCatchesUp() throws Exception {
    Path file = dir.resolve("backlog.sqlite");
    try (HotMem mem = HotMem.open(HotMemConfig.builder(file).tracing(Tracing.STDERR).build());
        HotMem other = HotMem.open(HotMemConfig.builder(file).keywordIndex(false).build())) {
      mem.remember(NewMemory.of("a first note"));
      awaitLoaded(mem);
      other.rememberAll(notes(KeywordSync.INLINE_ROWS + 500, 3));
      String needle = other.remember(NewMemory.of("theremin at the back")).memory().id();

      RecallResult[] hits = new RecallResult[1];
      String trace = traced(() -> hits[0] = mem.recall(RecallQuery.builder("theremin").build()));

      assertThat(ids(hits[0]).get(0)).isEqualTo(needle);
      assertThat(trace).contains("\"keyword_index\": \"fts5\"");
      awaitLoaded(mem);
      trace = traced(() -> hits[0] = mem.recall(RecallQuery.builder("theremin").build()));
      assertThat(ids(hits[0]).get(0)).isEqualTo(needle);
      assertThat(trace).contains("\"keyword_index\": \"memory\"");
    }
  }

  @Test
  void turnedOffThereIsNoIndexAndFts5Answers() {
    try (HotMem mem =
        HotMem.open(
            HotMemConfig.builder(dir.resolve("off.sqlite"))
                .keywordIndex(false)
                .tracing(Tracing.STDERR)
                .build())) {
      String id = mem.remember(NewMemory.of("a banjo in the attic")).memory().id();
      RecallResult[] hits = new RecallResult[1];
      String trace = traced(() -> hits[0] = mem.recall(RecallQuery.builder("banjo").build()));

      assertThat(keywords(mem)).isNull();
      assertThat(ids(hits[0]).get(0)).isEqualTo(id);
      assertThat(trace).contains("\"keyword_index\": \"fts5\"");
    }
  }
}
