package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.HashEmbedder;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecallTest {
  private final MutableClock clock = new MutableClock();
  private HotMem mem;

  /** The configuration every store of these tests starts from. */
  HotMemConfig.Builder ephemeral() {
    return HotMemConfig.ephemeral();
  }

  @BeforeEach
  void open() {
    mem = HotMem.open(ephemeral().clock(clock).build());
    mem.rememberAll(
        List.of(
            NewMemory.builder("vendor_x", "Invoice total was $5000, paid twice in March")
                .importance(0.9)
                .category("billing")
                .build(),
            NewMemory.builder("vendor_x", "Vendor X ships from Rotterdam")
                .category("logistics")
                .build(),
            NewMemory.builder("vendor_y", "Vendor Y invoice total was $120")
                .category("billing")
                .build(),
            NewMemory.builder("user", "The user prefers dark mode and Python")
                .kind("preference")
                .scope("onboarding")
                .build(),
            NewMemory.builder("user", "The user's cat is called Miso").build()));
  }

  @AfterEach
  void close() {
    mem.close();
  }

  @Test
  void theBestMatchComesFirstAsASystemMessage() {
    RecallResult r =
        mem.recall(RecallQuery.builder("duplicate invoice paid twice").topK(3).build());
    assertThat(r.count()).isEqualTo(r.memories().size()).isBetween(1, 3);
    MemoryMessage top = r.memories().get(0);
    assertThat(top.role()).isEqualTo("system");
    assertThat(top.content()).isEqualTo("Invoice total was $5000, paid twice in March");
    assertThat(top.identifier()).isEqualTo("vendor_x");
    assertThat(top.memoryId()).hasSize(26);
    assertThat(top.score()).isBetween(0.0, 1.0);
    assertThat(r.memories())
        .extracting(MemoryMessage::score)
        .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(r.traceMs()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void everyHitExplainsItsScoreAndTheExplanationAddsUp() {
    Ranking w = mem.config().ranking();
    RecallResult r = mem.recall(RecallQuery.builder("vendor invoice total").topK(10).build());
    assertThat(r.memories()).isNotEmpty();
    double maxBm25 = r.memories().stream().mapToDouble(m -> m.breakdown().bm25()).max().orElse(0);
    for (MemoryMessage m : r.memories()) {
      ScoreBreakdown b = m.breakdown();
      assertThat(b).isNotNull();
      assertThat(b.fused()).isBetween(0.0, 1.0);
      assertThat(b.recency()).isBetween(0.0, 1.0);
      assertThat(b.textRank() > 0 || b.vectorRank() > 0).isTrue();
      if (b.textRank() > 0) {
        assertThat(b.bm25()).isPositive();
      } else {
        assertThat(b.bm25()).isZero();
      }
      assertThat(b.cosine()).isBetween(-1.0, 1.0001);
      double expected =
          b.fused()
              * (w.relevanceWeight()
                  + w.importanceWeight() * b.importance()
                  + w.recencyWeight() * b.recency()
                  + w.accessWeight() * b.access());
      assertThat(m.score()).isCloseTo(expected, within(1e-9));
      double rrf =
          ((b.textRank() > 0 ? w.textWeight() / (w.rrfK() + b.textRank()) : 0)
                  + (b.vectorRank() > 0 ? w.vectorWeight() / (w.rrfK() + b.vectorRank()) : 0))
              / ((w.textWeight() + w.vectorWeight()) / (w.rrfK() + 1));
      if (w.fusion() == FusionMethod.RRF) {
        assertThat(b.fused()).isCloseTo(rrf, within(1e-9));
      } else {
        double text = b.bm25() / maxBm25;
        double weighted =
            (w.textWeight() * text + w.vectorWeight() * Math.max(0, b.cosine()))
                / (w.textWeight() + w.vectorWeight());
        assertThat(b.fused()).isCloseTo(weighted, within(1e-6));
      }
    }
  }

  @Test
  void normalizedFusionRescalesCosinesBetweenTheVectorCandidatesFloorAndTop() {
    try (HotMem store =
        HotMem.open(
            ephemeral()
                .fusion(FusionMethod.NORMALIZED)
                .vectorWeight(0.7)
                .accessWeight(0)
                .build())) {
      store.rememberAll(
          List.of(
              NewMemory.builder("u", "the invoice was paid twice in march").build(),
              NewMemory.builder("u", "invoice totals are checked by the auditor").build(),
              NewMemory.builder("u", "the harbour crane needs a new cable").build(),
              NewMemory.builder("u", "march budget meeting moved to friday").build(),
              NewMemory.builder("u", "paid the hotel invoice for the trip").build(),
              NewMemory.builder("u", "the cat sleeps on the warm radiator").build()));
      Ranking w = store.config().ranking();
      assertThat(w.fusion()).isEqualTo(FusionMethod.NORMALIZED);
      RecallResult r = store.recall(RecallQuery.builder("invoice paid in march").topK(10).build());

      // Six memories, vector depth 30: every one is a vector candidate and comes back.
      assertThat(r.memories()).hasSize(6);
      List<ScoreBreakdown> all = r.memories().stream().map(MemoryMessage::breakdown).toList();
      assertThat(all).allSatisfy(b -> assertThat(b.vectorRank()).isPositive());
      double top = all.stream().filter(b -> b.vectorRank() == 1).findFirst().get().cosine();
      double floor =
          all.stream().max(Comparator.comparingInt(ScoreBreakdown::vectorRank)).get().cosine();
      double maxBm25 = all.stream().mapToDouble(ScoreBreakdown::bm25).max().orElse(0);
      assertThat(top).isGreaterThan(floor);
      for (ScoreBreakdown b : all) {
        double vector = Math.max(0, Math.min(1, (b.cosine() - floor) / (top - floor)));
        double expected =
            (w.textWeight() * b.bm25() / maxBm25 + w.vectorWeight() * vector)
                / (w.textWeight() + w.vectorWeight());
        assertThat(b.fused()).isCloseTo(expected, within(1e-6));
      }
      assertThat(all.get(0).fused()).isGreaterThan(all.get(5).fused());
    }
  }

  @Test
  void fusionDefaultsFollowTheEmbedder() {
    Ranking hash = HotMemConfig.ephemeral().build().ranking();
    assertThat(hash.fusion()).isEqualTo(HotMemConfig.Builder.DEFAULT_FUSION);
    assertThat(hash.vectorWeight()).isEqualTo(HotMemConfig.Builder.DEFAULT_VECTOR_WEIGHT);
    dev.hotmem.embed.Embedder model =
        new dev.hotmem.embed.Embedder() {
          @Override
          public String id() {
            return "test-model-4";
          }

          @Override
          public int dimension() {
            return 4;
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            return texts.stream().map(t -> new float[] {1, t.length(), 0, 1}).toList();
          }
        };
    Ranking withModel = HotMemConfig.ephemeral().embedder(model).build().ranking();
    assertThat(withModel.fusion()).isEqualTo(FusionMethod.NORMALIZED);
    assertThat(withModel.vectorWeight()).isEqualTo(HotMemConfig.Builder.MODEL_VECTOR_WEIGHT);
    Ranking explicit =
        HotMemConfig.ephemeral()
            .embedder(model)
            .fusion(FusionMethod.RRF)
            .vectorWeight(0.3)
            .build()
            .ranking();
    assertThat(explicit.fusion()).isEqualTo(FusionMethod.RRF);
    assertThat(explicit.vectorWeight()).isEqualTo(0.3);
  }

  @Test
  void importanceAndRecencyBreakTiesBetweenEquallyRelevantMemories() {
    try (HotMem m2 = HotMem.open(ephemeral().clock(clock).build())) {
      Memory old =
          m2.remember(NewMemory.builder("a", "kiwi smoothie recipe").importance(0.5).build())
              .memory();
      clock.advance(Duration.ofDays(60));
      Memory recent =
          m2.remember(NewMemory.builder("b", "kiwi smoothie recipe").importance(0.5).build())
              .memory();
      List<MemoryMessage> hits = m2.recall("kiwi smoothie").memories();
      assertThat(hits).extracting(MemoryMessage::memoryId).containsExactly(recent.id(), old.id());
      assertThat(hits.get(0).breakdown().recency()).isCloseTo(1.0, within(1e-9));
      assertThat(hits.get(1).breakdown().recency()).isCloseTo(0.25, within(1e-6)); // two half-lives

      Memory important =
          m2.remember(NewMemory.builder("c", "kiwi smoothie recipe").importance(1.0).build())
              .memory();
      assertThat(m2.recall("kiwi smoothie").memories().get(0).memoryId()).isEqualTo(important.id());
    }
  }

  @Test
  void filtersRestrictEveryCandidateSource() {
    assertThat(ids(RecallQuery.builder("invoice total").identifier("vendor_y").topK(10).build()))
        .allMatch(id -> mem.get(id).identifier().equals("vendor_y"))
        .hasSize(1);
    assertThat(contents(RecallQuery.builder("vendor").category("logistics").topK(10).build()))
        .containsExactly("Vendor X ships from Rotterdam");
    assertThat(contents(RecallQuery.builder("user prefers").kind("preference").topK(10).build()))
        .containsExactly("The user prefers dark mode and Python");
    assertThat(contents(RecallQuery.builder("user").scope("onboarding").topK(10).build()))
        .containsExactly("The user prefers dark mode and Python");
    assertThat(contents(RecallQuery.builder("invoice").namespace("elsewhere").topK(10).build()))
        .isEmpty();
  }

  @Test
  void timeAndStatusFiltersWork() {
    Instant before = clock.instant();
    clock.advance(Duration.ofHours(1));
    Memory late =
        mem.remember(NewMemory.of("vendor_x", "Vendor X raised prices in April")).memory();
    MemoryFilter after = MemoryFilter.builder().createdAfter(before).build();
    assertThat(ids(RecallQuery.builder("vendor").filter(after).topK(10).build()))
        .containsExactly(late.id());
    MemoryFilter earlier = MemoryFilter.builder().createdBefore(late.createdAt()).build();
    assertThat(ids(RecallQuery.builder("vendor").filter(earlier).topK(10).build()))
        .doesNotContain(late.id())
        .isNotEmpty();
    MemoryFilter archived = MemoryFilter.builder().status(MemoryStatus.ARCHIVED).build();
    assertThat(ids(RecallQuery.builder("vendor").filter(archived).topK(10).build())).isEmpty();
  }

  @Test
  void minScoreDropsWeakResults() {
    List<MemoryMessage> all =
        mem.recall(RecallQuery.builder("vendor invoice").topK(10).build()).memories();
    assertThat(all.size()).isGreaterThan(1);
    double cut = (all.get(0).score() + all.get(all.size() - 1).score()) / 2;
    List<MemoryMessage> strong =
        mem.recall(RecallQuery.builder("vendor invoice").topK(10).minScore(cut).build()).memories();
    assertThat(strong).isNotEmpty().allMatch(m -> m.score() >= cut);
    assertThat(strong.size()).isLessThan(all.size());
  }

  @Test
  void budgetsAreHardCapsOnTheSumOfContents() {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      mem.remember(
          NewMemory.of("bulk", "vendor note " + i + " " + "x".repeat(random.nextInt(300))));
    }
    for (int budget : new int[] {0, 1, 5, 20, 40, 100, 333, 1500}) {
      RecallResult r =
          mem.recall(RecallQuery.builder("vendor note").topK(50).maxChars(budget).build());
      int sum = r.memories().stream().mapToInt(m -> m.content().length()).sum();
      assertThat(sum).as("max_chars %d", budget).isLessThanOrEqualTo(budget);
      RecallResult t =
          mem.recall(RecallQuery.builder("vendor note").topK(50).maxTokens(budget).build());
      assertThat(t.memories().size() + t.omitted()).isLessThanOrEqualTo(50);
    }
    RecallResult unbounded = mem.recall(RecallQuery.builder("vendor note").topK(50).build());
    assertThat(unbounded.count()).isEqualTo(50);
    assertThat(unbounded.omitted()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"", "\"\"\"", "invoice AND", "NEAR(invoice total", "*", "-vendor", "invoice*",
            "((( vendor",
        ")", "vendor:total", "^x", "🦄🔥", "OR OR OR", "NOT", "col:value AND (x OR", "\u0000",
        "\uD800", "a\"b\"c"
      })
  void hostileQueriesWorkWithoutErrors(String query) {
    RecallResult r = mem.recall(RecallQuery.builder(query).topK(5).build());
    assertThat(r.count()).isBetween(0, 5);
  }

  @Test
  void hugeQueriesWorkAndOversizedOnesAreRefusedClearly() {
    String big = "invoice vendor total ".repeat(100_000 / 21);
    assertThat(big.length()).isLessThanOrEqualTo(Limits.MAX_QUERY_CHARS);
    assertThat(mem.recall(big).memories()).isNotEmpty();
    assertThatThrownBy(() -> RecallQuery.of("x".repeat(Limits.MAX_QUERY_CHARS + 1)))
        .isInstanceOf(HotMemException.InvalidRequest.class)
        .hasMessageContaining("query");
    assertThatThrownBy(() -> RecallQuery.of("  "))
        .isInstanceOf(HotMemException.InvalidRequest.class)
        .hasMessage("query: must not be empty");
    assertThatThrownBy(() -> RecallQuery.builder("x").topK(0).build())
        .hasMessageStartingWith("top_k");
    assertThatThrownBy(() -> RecallQuery.builder("x").topK(101).build())
        .hasMessageStartingWith("top_k");
    assertThatThrownBy(() -> RecallQuery.builder("x").maxChars(-1).build())
        .hasMessageStartingWith("max_chars");
    assertThatThrownBy(() -> RecallQuery.builder("x").minScore(2).build())
        .hasMessageStartingWith("min_score");
  }

  @Test
  void matchesWithoutASharedKeywordAreFoundThroughTheVectorIndex() {
    // A misspelling shares no FTS5 term with the stored text; only the hash embedder's character
    // n-grams can bridge it.
    RecallResult r = mem.recall(RecallQuery.builder("Roterdam").topK(5).build());
    MemoryMessage top = r.memories().get(0);
    assertThat(top.content()).isEqualTo("Vendor X ships from Rotterdam");
    assertThat(top.breakdown().textRank()).isZero();
    assertThat(top.breakdown().vectorRank()).isEqualTo(1);
  }

  @Test
  void aVectorOnlyQueryFillsTopKEvenWithAShallowerVectorDepth() {
    try (HotMem dense =
        HotMem.open(
            ephemeral().clock(clock).textWeight(0).vectorWeight(1).vectorDepth(1).build())) {
      for (int i = 0; i < 10; i++) {
        dense.remember(NewMemory.of("x", "note number " + i + " about gardens"));
      }
      RecallResult r = dense.recall(RecallQuery.builder("gardens").topK(4).build());
      assertThat(r.memories()).hasSize(4);
      assertThat(r.memories())
          .allSatisfy(m -> assertThat(m.breakdown().vectorRank()).isBetween(1, 4));
    }
  }

  @Test
  void aZeroVectorWeightSkipsTheQueryEmbedding() {
    AtomicInteger calls = new AtomicInteger();
    HashEmbedder hash = new HashEmbedder();
    Embedder counting =
        new Embedder() {
          @Override
          public String id() {
            return hash.id();
          }

          @Override
          public int dimension() {
            return hash.dimension();
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            calls.incrementAndGet();
            return hash.embed(texts);
          }
        };
    try (HotMem keywordsOnly =
        HotMem.open(ephemeral().embedder(counting).vectorWeight(0).build())) {
      keywordsOnly.remember("keyword only fact about otters");
      int afterStore = calls.get();
      assertThat(keywordsOnly.recall("otters").memories()).hasSize(1);
      assertThat(calls.get()).isEqualTo(afterStore);
    }
  }

  private List<String> ids(RecallQuery q) {
    return mem.recall(q).memories().stream().map(MemoryMessage::memoryId).toList();
  }

  private List<String> contents(RecallQuery q) {
    return mem.recall(q).memories().stream().map(MemoryMessage::content).toList();
  }
}
