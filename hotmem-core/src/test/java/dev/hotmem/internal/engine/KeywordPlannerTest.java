package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.MemoryMessage;
import dev.hotmem.NewMemory;
import dev.hotmem.RecallQuery;
import dev.hotmem.Synchronous;
import dev.hotmem.internal.store.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeywordPlannerTest {
  @TempDir Path dir;

  /** 600 memories: "common" in all, "medium" in 150, "rare" in 3. */
  private Path store() {
    Path file = dir.resolve("kw.sqlite");
    List<NewMemory> batch = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String text =
          "common word number " + i + (i % 4 == 0 ? " medium" : "") + (i % 200 == 0 ? " rare" : "");
      batch.add(NewMemory.of("x", text));
    }
    try (HotMem mem = HotMem.open(file)) {
      mem.rememberAll(batch);
    }
    return file;
  }

  private static String plan(Path file, int budget, List<String> terms) {
    try (SqliteStore s = SqliteStore.open(file, Synchronous.NORMAL, Duration.ofSeconds(1), 1)) {
      KeywordPlanner planner = new KeywordPlanner(budget);
      return s.read("plan", c -> planner.plan(c, terms, 600).match());
    }
  }

  @Test
  void aQueryThatFitsTheBudgetIsSearchedWhole() {
    Path file = store();
    assertThat(plan(file, 1_000, List.of("common", "medium", "rare")))
        .isEqualTo("\"common\" OR \"medium\" OR \"rare\"");
  }

  @Test
  void theCommonestTermsAreDroppedWhenTheBudgetIsExceeded() {
    Path file = store();
    assertThat(plan(file, 200, List.of("common", "medium", "rare")))
        .isEqualTo("\"medium\" OR \"rare\"");
    assertThat(plan(file, 100, List.of("common", "medium", "rare"))).isEqualTo("\"rare\"");
  }

  @Test
  void theRarestTermIsKeptEvenOverBudget() {
    Path file = store();
    assertThat(plan(file, 100, List.of("common", "medium"))).isEqualTo("\"medium\"");
  }

  @Test
  void recallWithASmallBudgetStillRanksTheRareMatchFirst() {
    Path file = store();
    try (HotMem mem = HotMem.open(HotMemConfig.builder(file).keywordBudget(100).build())) {
      List<MemoryMessage> hits =
          mem.recall(RecallQuery.builder("common rare word").topK(3).build()).memories();
      // The three memories with "rare" are the only keyword candidates, and rank above the rest.
      assertThat(hits).hasSize(3).allSatisfy(h -> assertThat(h.content()).contains("rare"));
      assertThat(hits).allSatisfy(h -> assertThat(h.breakdown().textRank()).isBetween(1, 3));
    }
  }

  @Test
  void aQueryWithNoSelectiveTermTakesTheNewestMatchesScoredByBm25() {
    Path file = dir.resolve("unselective.sqlite");
    List<NewMemory> batch = new ArrayList<>();
    int n = KeywordPlanner.COUNT_CAP + 100;
    for (int i = 0; i < n; i++) {
      batch.add(NewMemory.of("x", "everyone mentions the weather, note " + i));
    }
    try (HotMem mem = HotMem.open(file)) {
      mem.rememberAll(batch);
    }
    try (SqliteStore s = SqliteStore.open(file, Synchronous.NORMAL, Duration.ofSeconds(1), 1)) {
      KeywordPlanner.Plan plan =
          s.read("plan", c -> new KeywordPlanner(500).plan(c, List.of("weather"), n));
      assertThat(plan.newestFirst()).isTrue();
      assertThat(plan.match()).isEqualTo("\"weather\"");
    }
    try (HotMem mem = HotMem.open(HotMemConfig.builder(file).vectorWeight(0.0).build())) {
      List<MemoryMessage> hits =
          mem.recall(RecallQuery.builder("weather").topK(10).build()).memories();
      assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(h.content()).contains("weather"));
      // Candidates are the newest 100 matches, ranked by bm25 (ties: newest first).
      int oldest = n - 100;
      assertThat(hits)
          .allSatisfy(
              h ->
                  assertThat(
                          Integer.parseInt(h.content().substring(h.content().lastIndexOf(' ') + 1)))
                      .isGreaterThanOrEqualTo(oldest));
      assertThat(hits.get(0).breakdown().bm25()).isPositive();
    }
  }
}
