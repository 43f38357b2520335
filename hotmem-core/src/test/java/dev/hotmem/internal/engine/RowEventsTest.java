package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.HotMem;
import dev.hotmem.MemoryStatus;
import dev.hotmem.NewMemory;
import dev.hotmem.internal.store.RowEvents;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's log of row changes: what its triggers write, and how much of it they keep. */
class RowEventsTest {
  @TempDir Path dir;

  @Test
  void statusAndImportanceChangesAndErasuresAreLoggedOtherUpdatesAreNot() {
    try (HotMem mem = HotMem.open(dir.resolve("log.sqlite"))) {
      String a = mem.remember(NewMemory.of("first")).memory().id();
      String b = mem.remember(NewMemory.of("second")).memory().id();
      MemoryEngine engine = EngineAccess.engine(mem);
      long start = engine.read("last", RowEvents::last);

      mem.update(a, dev.hotmem.MemoryUpdate.importance(0.9));
      mem.update(a, dev.hotmem.MemoryUpdate.importance(0.9)); // no change: not logged
      mem.update(b, dev.hotmem.MemoryUpdate.metadata(java.util.Map.of("k", "v"))); // not logged
      mem.forget(b);
      mem.purge(b);

      List<RowEvents.Event> events = engine.read("events", c -> RowEvents.after(c, start, 10));
      assertThat(events).extracting(RowEvents.Event::seq).containsExactly(1L, 2L, 2L);
      // Each entry comes with the row as the reader's snapshot has it now.
      assertThat(events.get(0).status()).isEqualTo(MemoryStatus.ACTIVE);
      assertThat(events.get(0).importance()).isEqualTo(0.9);
      assertThat(events.get(1).status()).isNull(); // erased since
      boolean complete = engine.read("complete", c -> RowEvents.complete(c, start));
      assertThat(complete).isTrue();
    }
  }

  @Test
  void anotherProcessesForgetsErasuresAndStatusesReachThisProcessesVectorIndex() {
    Path file = dir.resolve("vectors.sqlite");
    // Vectors only: what recall finds is what the vector index holds, under its status filter.
    dev.hotmem.HotMemConfig vectorsOnly =
        dev.hotmem.HotMemConfig.builder(file).textWeight(0).keywordIndex(false).build();
    try (HotMem mem = HotMem.open(vectorsOnly);
        HotMem other = HotMem.open(file)) {
      String forgotten = mem.remember(NewMemory.of("violin lessons")).memory().id();
      String erased = mem.remember(NewMemory.of("violin repairs")).memory().id();
      String superseded = mem.remember(NewMemory.of("violin strings")).memory().id();
      mem.remember(NewMemory.of("violin concert"));
      assertThat(mem.vectorIndex().entries()).isEqualTo(4);

      other.forget(forgotten);
      other.forget(erased);
      other.purge(erased);
      EngineAccess.engine(other)
          .writeTracked(
              "supersede",
              (c, changed) ->
                  c.prepare(
                          "UPDATE memories SET status = 'superseded' WHERE id = '"
                              + superseded
                              + "'")
                      .executeUpdate());
      dev.hotmem.RecallQuery onlySuperseded =
          dev.hotmem.RecallQuery.builder("violin")
              .filter(
                  dev.hotmem.MemoryFilter.builder()
                      .statuses(java.util.EnumSet.of(MemoryStatus.SUPERSEDED))
                      .build())
              .build();

      // The vector index only knows the status another process set once it read the log.
      assertThat(mem.recall(onlySuperseded).memories())
          .extracting(dev.hotmem.MemoryMessage::memoryId)
          .containsExactly(superseded);
      assertThat(mem.vectorIndex().entries()).as("forgotten and erased rows left").isEqualTo(2);
    }
  }

  @Test
  void theLogKeepsItsLastEntriesAndSaysWhenAReaderMissedSome() {
    try (HotMem mem = HotMem.open(dir.resolve("kept.sqlite"))) {
      mem.remember(NewMemory.of("changed over and over"));
      MemoryEngine engine = EngineAccess.engine(mem);
      int changes = RowEvents.KEPT + 10;
      engine.writeTracked(
          "churn",
          (c, changed) -> {
            PreparedStatement ps = c.prepare("UPDATE memories SET importance = ? WHERE seq = 1");
            for (int i = 1; i <= changes; i++) {
              ps.setDouble(1, (i % 2) / 2.0 + 0.25);
              ps.executeUpdate();
            }
            return null;
          });

      long[] log =
          engine.read(
              "log",
              c -> {
                try (var rs =
                    c.prepare("SELECT count(*), min(id), max(id) FROM row_events").executeQuery()) {
                  return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                }
              });
      assertThat(log).containsExactly(RowEvents.KEPT, 11, changes);
      boolean upTo10 = engine.read("c", c -> RowEvents.complete(c, 10));
      boolean upTo9 = engine.read("c", c -> RowEvents.complete(c, 9));
      assertThat(upTo10).as("entries 11.. are all there").isTrue();
      assertThat(upTo9).as("entry 10 was dropped").isFalse();
    }
  }
}
