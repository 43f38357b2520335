package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VectorNeedTest {
  @Test
  void startsAtNeededAndFollowsTheLatestRecalls() {
    VectorNeed need = new VectorNeed();
    assertThat(need.rate()).isEqualTo(1.0);
    int decided = 0;
    while (need.rate() >= Recall.EARLY_NEED_MIN) {
      need.record(false);
      decided++;
    }
    // (15/16)^n < 1/2 from n = 11: about the last 16 recalls count.
    assertThat(decided).isEqualTo(11);
    for (int i = 0; i < 200; i++) {
      need.record(false);
    }
    assertThat(need.rate()).isCloseTo(0, within(1e-4));
    int needed = 0;
    while (need.rate() < Recall.EARLY_NEED_MIN) {
      need.record(true);
      needed++;
    }
    assertThat(needed).isEqualTo(11);
    // Mixed evidence settles near the share needed.
    for (int i = 0; i < 4_000; i++) {
      need.record(i % 4 == 0);
    }
    assertThat(need.rate()).isCloseTo(0.25, within(0.1));
  }
}
