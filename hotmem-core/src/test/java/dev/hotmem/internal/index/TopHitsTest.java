package dev.hotmem.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.index.VectorHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopHitsTest {
  private static final Comparator<VectorHit> BEST_FIRST =
      Comparator.comparingDouble((VectorHit h) -> -h.cosine()).thenComparingLong(VectorHit::key);

  @Test
  void keepsTheBestOfRandomOffersInOrder() {
    long seed = Long.getLong("hotmem.seed", System.nanoTime());
    System.out.println(
        "keepsTheBestOfRandomOffersInOrder seed="
            + seed
            + " (rerun with -Dhotmem.seed="
            + seed
            + ")");
    Random random = new Random(seed);
    for (int round = 0; round < 300; round++) {
      int capacity = 1 + random.nextInt(20);
      int offers = random.nextInt(100);
      TopHits top = new TopHits(capacity);
      List<VectorHit> all = new ArrayList<>();
      for (int i = 0; i < offers; i++) {
        // Few distinct cosines, so ties (settled by key) are frequent.
        float cosine = random.nextInt(9) / 8f - 0.5f;
        long key = random.nextInt(1_000_000);
        if (all.stream().anyMatch(h -> h.key() == key)) {
          continue;
        }
        all.add(new VectorHit(key, cosine));
        if (cosine > top.bar() || (cosine == top.bar() && top.beatsWorstOnTie(key))) {
          top.offer(cosine, key);
        }
      }
      all.sort(BEST_FIRST);

      assertThat(top.drainBestFirst())
          .as("seed %d, round %d", seed, round)
          .containsExactlyElementsOf(all.subList(0, Math.min(capacity, all.size())));
    }
  }

  @Test
  void barIsNegativeInfinityUntilFull() {
    TopHits top = new TopHits(2);
    top.offer(0.5f, 1);

    assertThat(top.bar()).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(top.beatsWorstOnTie(Long.MAX_VALUE)).isTrue();

    top.offer(0.9f, 2);

    assertThat(top.bar()).isEqualTo(0.5f);
    assertThat(top.beatsWorstOnTie(0)).isTrue();
    assertThat(top.beatsWorstOnTie(3)).isFalse();
  }
}
