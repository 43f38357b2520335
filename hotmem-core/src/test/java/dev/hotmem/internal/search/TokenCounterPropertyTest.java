package dev.hotmem.internal.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.TokenEncoding;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.statistics.Statistics;

class TokenCounterPropertyTest {
  private static final TokenCounter O200K = new TokenCounter(TokenEncoding.O200K_BASE);

  @Property(tries = 1000)
  void countUpToAgreesWithCount(
      @ForAll @CharRange(from = '\u0000', to = '\uffff') @StringLength(max = 300) String text,
      @ForAll @IntRange(min = 0, max = 400) int limit) {
    int count = O200K.count(text);

    int bounded = O200K.countUpTo(text, limit);

    Statistics.collect(count <= limit ? "within limit" : "beyond limit");
    Statistics.coverage(
        coverage -> {
          coverage.check("within limit").percentage(p -> p >= 20);
          coverage.check("beyond limit").percentage(p -> p >= 20);
        });
    if (count <= limit) {
      assertThat(bounded).isEqualTo(count);
    } else {
      assertThat(bounded).isEqualTo(limit + 1);
    }
  }
}
