package dev.hotmem.internal.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.MemoryStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The in-memory keyword index's own rules; its ranking is checked against FTS5 elsewhere. */
class KeywordIndexTest {
  private static final KeywordIndex.Filter ACTIVE =
      new KeywordIndex.Filter("default", null, Set.of(MemoryStatus.ACTIVE), 0);

  private static KeywordTerms.Prepared doc(long seq, String content) {
    return KeywordTerms.prepare(
        new KeywordIndex.Doc(
            seq,
            "default",
            "general",
            MemoryStatus.ACTIVE,
            Long.MAX_VALUE,
            0.5,
            seq,
            content,
            null));
  }

  private static KeywordTerms.Prepared kiwi(
      long seq, String namespace, String identifier, MemoryStatus status, long expiresAt) {
    return KeywordTerms.prepare(
        new KeywordIndex.Doc(
            seq, namespace, identifier, status, expiresAt, 0.5, seq, "kiwi", null));
  }

  /**
   * The statuses the index holds for rows 1..{@code upTo}, by key (rows it does not hold absent).
   */
  private static java.util.Map<Long, MemoryStatus> held(KeywordIndex index, long upTo) {
    java.util.Map<Long, MemoryStatus> out = new java.util.HashMap<>();
    for (long seq = 1; seq <= upTo; seq++) {
      MemoryStatus status = index.statusOf(seq);
      if (status != null) {
        out.put(seq, status);
      }
    }
    return out;
  }

  private static List<Long> keys(KeywordIndex.Hits hits) {
    List<Long> out = new ArrayList<>();
    for (long k : hits.seqs()) {
      out.add(k);
    }
    return out;
  }

  @Test
  void wordsMatchThroughTheirStems() {
    KeywordIndex index = new KeywordIndex();
    index.addAll(List.of(doc(1, "She was running a marathon"), doc(2, "a quiet evening")), 2);

    assertThat(keys(index.search(List.of("runs"), false, ACTIVE, 10))).containsExactly(1L);
    assertThat(index.documentFrequency("run")).isEqualTo(1);
    assertThat(index.documentFrequency("running")).isEqualTo(1);
    assertThat(index.documentFrequency("marathons")).isEqualTo(1);
    assertThat(index.documentFrequency("zebra")).isZero();
  }

  @Test
  void rowsMustArriveInKeyOrder() {
    KeywordIndex index = new KeywordIndex();
    index.addAll(List.of(doc(5, "five")), 5);

    assertThatThrownBy(() -> index.addAll(List.of(doc(4, "four")), 6))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.addAll(List.of(doc(5, "five again")), 6))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.addAll(List.of(doc(7, "seven"), doc(6, "six")), 7))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(index.loadedUpTo()).isEqualTo(5);
    assertThat(index.documents()).as("a refused batch adds nothing").isEqualTo(1);
  }

  @Test
  void changesForRowsItDoesNotHoldAreIgnoredNotKept() {
    KeywordIndex index = new KeywordIndex();
    index.addAll(List.of(doc(1, "pears")), 10); // rows 2..10 were erased before the load

    index.setStatus(7, MemoryStatus.FORGOTTEN); // passed
    index.erase(List.of(8L));
    index.setStatus(12, MemoryStatus.FORGOTTEN); // not added yet: its row will say
    index.erase(List.of(13L));
    index.setImportance(12, 1.0);
    index.addAll(List.of(doc(11, "pears again"), doc(12, "pears"), doc(13, "pears")), 13);

    assertThat(held(index, 13))
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                1L, MemoryStatus.ACTIVE,
                11L, MemoryStatus.ACTIVE,
                12L, MemoryStatus.ACTIVE,
                13L, MemoryStatus.ACTIVE));
    double[] importance = new double[1];
    index.hints(new long[] {12}, importance, new long[1]);
    assertThat(importance[0]).as("as its row said").isEqualTo(0.5);
  }

  @Test
  void erasingRemovesARowFromTheStatisticsAndTheResults() {
    KeywordIndex index = new KeywordIndex();
    index.addAll(List.of(doc(1, "plums"), doc(2, "plums and figs"), doc(3, "figs")), 3);
    assertThat(index.documentFrequency("plum")).isEqualTo(2);

    index.erase(List.of(1L));

    assertThat(index.documentFrequency("plum")).isEqualTo(1);
    assertThat(index.rows()).isEqualTo(2);
    assertThat(keys(index.search(List.of("plums"), false, ACTIVE, 10))).containsExactly(2L);
    index.erase(List.of(1L)); // twice: no-op
    assertThat(index.rows()).isEqualTo(2);
  }

  @Test
  void erasingABatchOfRowsFiltersEveryList() {
    KeywordIndex index = new KeywordIndex();
    List<KeywordTerms.Prepared> docs = new ArrayList<>();
    List<Long> erased = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      docs.add(doc(i, (i % 2 == 0 ? "grapes " : "melons ") + "fruit"));
      if (i % 3 == 0) {
        erased.add((long) i); // 20 rows: more than one list lookup each is worth
      }
    }
    index.addAll(docs, 60);

    index.erase(erased);

    assertThat(index.rows()).isEqualTo(40);
    assertThat(index.documentFrequency("fruit")).isEqualTo(40);
    assertThat(index.documentFrequency("grapes")).isEqualTo(20);
    assertThat(keys(index.search(List.of("fruit"), false, ACTIVE, 100)))
        .hasSize(40)
        .doesNotContainAnyElementsOf(erased);
  }

  @Test
  void filtersKeepOnlyTheAskedNamespaceIdentifierStatusesAndUnexpiredRows() {
    KeywordIndex index = new KeywordIndex();
    index.addAll(
        List.of(
            kiwi(1, "a", "x", MemoryStatus.ACTIVE, Long.MAX_VALUE),
            kiwi(2, "b", "x", MemoryStatus.ACTIVE, Long.MAX_VALUE),
            kiwi(3, "a", "y", MemoryStatus.ACTIVE, Long.MAX_VALUE),
            kiwi(4, "a", "x", MemoryStatus.ARCHIVED, Long.MAX_VALUE),
            kiwi(5, "a", "x", MemoryStatus.ACTIVE, 1_000)),
        5);
    List<String> kiwi = List.of("kiwi");

    assertThat(
            keys(
                index.search(
                    kiwi,
                    false,
                    new KeywordIndex.Filter("a", "x", Set.of(MemoryStatus.ACTIVE), 999),
                    10)))
        .containsExactlyInAnyOrder(1L, 5L);
    assertThat(
            keys(
                index.search(
                    kiwi,
                    false,
                    new KeywordIndex.Filter("a", "x", Set.of(MemoryStatus.ACTIVE), 1_000),
                    10)))
        .containsExactly(1L);
    assertThat(
            keys(
                index.search(
                    kiwi,
                    false,
                    new KeywordIndex.Filter(
                        "a", null, Set.of(MemoryStatus.ACTIVE, MemoryStatus.ARCHIVED), 2_000),
                    10)))
        .containsExactlyInAnyOrder(1L, 3L, 4L);
    assertThat(
            keys(
                index.search(
                    kiwi,
                    false,
                    new KeywordIndex.Filter("c", null, Set.of(MemoryStatus.ACTIVE), 0),
                    10)))
        .isEmpty();
    assertThat(
            keys(
                index.search(
                    kiwi,
                    false,
                    new KeywordIndex.Filter("a", "z", Set.of(MemoryStatus.ACTIVE), 0),
                    10)))
        .isEmpty();
  }

  @Test
  void newestFirstTakesTheNewestMatchesThenRanksThem() {
    KeywordIndex index = new KeywordIndex();
    List<KeywordTerms.Prepared> docs = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      docs.add(doc(i, i % 10 == 0 ? "tea tea tea" : "tea and a long list of other words " + i));
    }
    index.addAll(docs, 50);

    KeywordIndex.Hits newest = index.search(List.of("tea"), true, ACTIVE, 5);
    assertThat(keys(newest)).containsExactly(50L, 49L, 48L, 47L, 46L);
    KeywordIndex.Hits best = index.search(List.of("tea"), false, ACTIVE, 5);
    assertThat(keys(best))
        .as("ties: the older first, as in FTS5")
        .containsExactly(10L, 20L, 30L, 40L, 50L);
    assertThat(best.scores()[0]).isGreaterThan(best.scores()[4] - 1e-9);
  }

  @Test
  void hostileTextNeverBreaksTheIndex() {
    KeywordIndex index = new KeywordIndex();
    String[] texts = {
      "",
      "   ",
      "\u0000\u0000",
      "\uD800 unpaired",
      "日本語のテキスト",
      "x".repeat(10_000),
      "naïve café résumé",
      "\"OR\" AND NOT NEAR( col: * ^",
      "🙂🙂🙂"
    };
    List<KeywordTerms.Prepared> docs = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      docs.add(doc(i + 1, texts[i]));
    }
    index.addAll(docs, texts.length);

    assertThat(keys(index.search(List.of("naive"), false, ACTIVE, 10))).containsExactly(7L);
    assertThat(keys(index.search(List.of("cafe", "near"), false, ACTIVE, 10)))
        .containsExactlyInAnyOrder(7L, 8L);
    assertThat(index.search(List.of("x".repeat(10_000)), false, ACTIVE, 10).size()).isEqualTo(1);
    assertThat(index.search(List.of(), false, ACTIVE, 10).size()).isZero();
    assertThat(index.search(List.of("tea"), false, ACTIVE, 0).size()).isZero();
  }
}
