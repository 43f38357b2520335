package dev.hotmem.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.MemoryStatus;
import dev.hotmem.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pressure levels and what each does. */
class FactPressureTest {
  @TempDir Path dir;
  HotMem mem;

  @BeforeEach
  void open() {
    mem =
        HotMem.open(
            HotMemConfig.builder(dir.resolve("pressure.sqlite"))
                .clock(new MutableClock(Instant.parse("2026-03-01T09:00:00Z")))
                .build());
  }

  @AfterEach
  void close() {
    mem.close();
  }

  @Test
  void belowSeventyPercentNothingMoves() {
    FactMemory facts = FactMemory.open(mem, FactConfig.defaults());
    facts.write("C[db.id]: UUID", "db");
    facts.write("D[db.id]: pg uuid v7", "db");
    FactStatus s = facts.status();
    assertThat(s.level()).isEqualTo("ok");
    assertThat(s.pressure()).isLessThan(0.7);
    assertThat(s.hotFacts()).isEqualTo(2);
    assertThat(s.actions()).isEmpty();
  }

  @Test
  void atSeventyPercentOlderFactsSharingTargetAndScopeLeaveTheHotTier() {
    FactMemory facts =
        FactMemory.open(mem, FactConfig.builder().hotBudgetTokens(40).hotCapTokens(180).build());
    Fact c = facts.write("C[db.id]: UUID mandatory", "db").fact();
    Fact d = facts.write("D[db.id]: pg uuid v7", "db").fact();
    Fact other = facts.write("D[db.id]: serial ids", "legacy").fact();
    assertThat(facts.status().hotFacts()).isEqualTo(3);
    facts.write("V[db.host]: db1.internal.example.com", "db");
    FactStatus s = facts.status();
    assertThat(s.actions()).anyMatch(a -> a.startsWith("merge: 1 "));
    assertThat(facts.export(null, "hot"))
        .doesNotContain(c.line())
        .contains(d.line())
        .contains(other.line());
    assertThat(mem.get(c.id()).status()).isEqualTo(MemoryStatus.ACTIVE);
    assertThat(facts.search("UUID mandatory", null, 5)).extracting(Fact::id).contains(c.id());
  }

  @Test
  void atEightyFivePercentClosedScopeFactsAreArchived() {
    FactMemory facts = FactMemory.open(mem, FactConfig.builder().hotBudgetTokens(20).build());
    Fact auth = facts.write("D[auth]: JWT", "auth").fact();
    facts.tick(1, "auth merged");
    assertThat(facts.status().archivedFacts()).isZero();
    facts.write("V[a.b]: one two three four five six", "x");
    facts.write("V[c.d]: seven eight nine ten eleven", "x");
    FactStatus s = facts.status();
    assertThat(s.archivedFacts()).isEqualTo(1);
    assertThat(mem.get(auth.id()).status()).isEqualTo(MemoryStatus.ARCHIVED);
    assertThat(s.actions()).anyMatch(a -> a.startsWith("archive: 1 "));
    // Archived facts are still current and searchable.
    assertThat(facts.search("JWT", null, 5)).extracting(Fact::id).contains(auth.id());
    assertThat(facts.export(null, "archived")).isEqualTo("D[auth]: JWT\n");
  }

  @Test
  void atNinetyFivePercentWithoutAModelTheOldestFactsGoCold() {
    FactMemory facts = FactMemory.open(mem, FactConfig.builder().hotBudgetTokens(60).build());
    List<Fact> written = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      written.add(facts.write("V[k" + i + "]: value number " + i, null).fact());
    }
    FactStatus s = facts.status();
    assertThat(s.pressure()).isLessThan(0.95);
    assertThat(s.coldFacts() + s.hotFacts()).isEqualTo(12);
    assertThat(s.actions()).anyMatch(a -> a.contains("no model configured"));
    assertThat(facts.export(null, "hot"))
        .contains(written.get(11).line())
        .doesNotContain(written.get(0).line() + "\n");
    assertThat(facts.export(null, "current").lines()).hasSize(12);
  }

  @Test
  void pushingTheOldestKeepsConstraintsHotWhileOtherFactsCanGo() {
    FactMemory facts = FactMemory.open(mem, FactConfig.builder().hotBudgetTokens(60).build());
    Fact law = facts.write("C[db.id]: UUID mandatory, never autoincrement", null).fact();
    for (int i = 0; i < 12; i++) {
      facts.write("V[k" + i + "]: value number " + i, null);
    }
    FactStatus s = facts.status();
    assertThat(s.actions()).anyMatch(a -> a.contains("no model configured"));
    // The constraint is the oldest fact, yet values went cold before it.
    assertThat(facts.export(null, "hot")).contains(law.line());
    assertThat(s.block()).contains(law.line());
  }

  @Test
  void atNinetyFivePercentAModelConsolidatesAndNoFactIsLost() {
    AtomicInteger calls = new AtomicInteger();
    ChatModel model =
        (system, user) -> {
          calls.incrementAndGet();
          assertThat(system).contains("MEMORY_SPEC");
          return "```\n- V[k]: 0..11 (see cold)\n```";
        };
    FactMemory facts =
        FactMemory.open(mem, FactConfig.builder().hotBudgetTokens(60).consolidator(model).build());
    List<Fact> written = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      written.add(facts.write("V[k" + i + "]: value number " + i, null).fact());
    }
    assertThat(calls.get()).isGreaterThan(0);
    FactStatus s = facts.status();
    assertThat(s.pressure()).isLessThan(0.95);
    assertThat(facts.export(null, "hot")).contains("V[k]: 0..11 (see cold)");
    assertThat(s.actions()).anyMatch(a -> a.contains("by the model"));
    for (Fact f : written) {
      assertThat(mem.get(f.id()).status()).isEqualTo(MemoryStatus.ACTIVE);
    }
  }

  @Test
  void aFailingOrUselessModelFallsBackToMovingTheOldest() {
    for (ChatModel model :
        List.<ChatModel>of(
            (s, u) -> {
              throw new ChatModel.Failed("down", null);
            },
            (s, u) -> "",
            (s, u) -> u + u)) {
      FactMemory facts =
          FactMemory.open(
              mem,
              FactConfig.builder()
                  .namespace("ns" + Integer.toHexString(System.identityHashCode(model)))
                  .hotBudgetTokens(60)
                  .consolidator(model)
                  .build());
      for (int i = 0; i < 12; i++) {
        facts.write("V[k" + i + "]: value number " + i, null);
      }
      FactStatus s = facts.status();
      assertThat(s.pressure()).isLessThan(0.95);
      assertThat(s.actions()).anyMatch(a -> a.contains("not by the model"));
      assertThat(facts.export(null, "current").lines()).hasSize(12);
    }
  }
}
