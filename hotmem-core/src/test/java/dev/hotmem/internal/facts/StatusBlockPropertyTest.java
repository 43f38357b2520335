package dev.hotmem.internal.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.MemoryStatus;
import dev.hotmem.TokenEncoding;
import dev.hotmem.internal.search.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The status block never exceeds its cap in tokens, however many hot facts there are and whatever
 * they say; it always starts with the header, and shows every fact when they all fit.
 */
class StatusBlockPropertyTest {
  static final TokenCounter COUNTER = new TokenCounter(TokenEncoding.CL100K_BASE);
  static final String[] KINDS = {"constraint", "decision", "value", "unknown", "fact"};

  @Property(tries = 25)
  void thousandsOfFactsStayUnderTheCap(
      @ForAll("facts") List<FactRow> hot, @ForAll @IntRange(min = 60, max = 400) int cap) {
    StatusBlock block = new StatusBlock(COUNTER, cap);
    if (cap < block.minimumCap()) {
      return;
    }
    String text = block.render(hot);
    assertThat(COUNTER.count(text)).isLessThanOrEqualTo(cap);
    assertThat(text).startsWith(StatusBlock.HEADER);
  }

  @Property(tries = 50)
  void fewSmallFactsAreAllShown(@ForAll("small") List<FactRow> hot) {
    String text = new StatusBlock(COUNTER, 180).render(hot);
    for (FactRow r : hot) {
      assertThat(text).contains(StatusBlock.lineOf(r.content()));
    }
    assertThat(text).doesNotContain(" more\n");
  }

  @Provide
  Arbitrary<List<FactRow>> facts() {
    return rows(Arbitraries.strings().ofMinLength(1).ofMaxLength(300))
        .list()
        .ofMinSize(1000)
        .ofMaxSize(5000);
  }

  @Provide
  Arbitrary<List<FactRow>> small() {
    return rows(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)).list().ofMaxSize(4);
  }

  private static Arbitrary<FactRow> rows(Arbitrary<String> text) {
    return Combinators.combine(
            Arbitraries.longs().between(1, 1_000_000),
            Arbitraries.of(KINDS),
            Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
            text)
        .as(
            (seq, kind, target, body) -> {
              String content = "fact".equals(kind) ? body : "V[" + target + "]: " + body;
              return new FactRow(
                  seq,
                  "id" + seq,
                  target,
                  content,
                  kind,
                  "s",
                  MemoryStatus.ACTIVE,
                  null,
                  0,
                  "hot",
                  0,
                  null);
            });
  }

  @Property(tries = 5)
  void theHeaderLeavesRoomForTheDefaultBudgetToMatter(
      @ForAll @IntRange(min = 0, max = 0) int unused) {
    List<FactRow> none = new ArrayList<>();
    StatusBlock block = new StatusBlock(COUNTER, 180);
    assertThat(block.minimumCap()).isLessThanOrEqualTo(60);
    assertThat(COUNTER.count(block.render(none))).isLessThanOrEqualTo(180);
  }
}
