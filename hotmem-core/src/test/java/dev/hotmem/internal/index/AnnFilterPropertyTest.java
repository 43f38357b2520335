package dev.hotmem.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.MemoryStatus;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the history of upserts, removals and status changes, and whatever the filter, a search
 * of the graph index never returns an entry the filter rejects, nor one that is gone, and returns
 * every match when fewer than k match. The index sends every search it can to the graph ({@code
 * exactLimit} 0). jqwik prints the seed of a failing run.
 */
class AnnFilterPropertyTest {
  private static final int DIMENSION = 8;

  @Property(tries = 40)
  void searchesNeverReturnAFilteredOutOrRemovedKey(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 600) int operations,
      @ForAll @IntRange(min = 1, max = 30) int k) {
    Random random = new Random(seed);
    Map<Long, VectorEntry> reference = new HashMap<>();
    JVectorIndex index = new JVectorIndex(DIMENSION, 0);
    try {
      List<VectorEntry> batch = new ArrayList<>();
      for (int i = 0; i < operations; i++) {
        long key = 1 + random.nextInt(Math.max(1, operations / 2));
        int op = random.nextInt(10);
        if (op < 6) {
          VectorEntry e = randomEntry(random, key);
          if (random.nextBoolean()) {
            batch.add(e);
            reference.put(key, e);
            if (batch.size() > 20) {
              flush(index, batch);
            }
          } else {
            flush(index, batch);
            index.upsert(e);
            reference.put(key, e);
          }
        } else {
          flush(index, batch);
          if (op < 8) {
            index.remove(key);
            reference.remove(key);
          } else {
            MemoryStatus status = MemoryStatus.values()[random.nextInt(4)];
            index.setStatus(key, status);
            VectorEntry e = reference.get(key);
            if (e != null) {
              reference.put(
                  key, new VectorEntry(key, e.vector(), e.namespace(), e.identifier(), status));
            }
          }
        }
      }
      flush(index, batch);
      assertThat(index.size()).isEqualTo(reference.size());

      for (int q = 0; q < 10; q++) {
        VectorFilter filter = randomFilter(random);
        List<VectorHit> hits = index.search(randomVector(random), k, filter);
        long matching = reference.values().stream().filter(e -> accepts(e, filter)).count();
        for (VectorHit hit : hits) {
          VectorEntry e = reference.get(hit.key());
          assertThat(e).as("hit %s is a live entry", hit).isNotNull();
          assertThat(accepts(e, filter)).as("hit %s passes %s", hit, filter).isTrue();
        }
        assertThat(hits).hasSize((int) Math.min(k, matching));
      }
    } finally {
      index.close();
    }
  }

  /** A batch may repeat a key; the last entry of a key wins, as one upsert after another. */
  private static void flush(JVectorIndex index, List<VectorEntry> batch) {
    index.upsertAll(batch);
    batch.clear();
  }

  private static boolean accepts(VectorEntry e, VectorFilter f) {
    return e.namespace().equals(f.namespace())
        && (f.identifier() == null || e.identifier().equals(f.identifier()))
        && f.statuses().contains(e.status())
        && (f.allowedKeys() == null || f.allowedKeys().test(e.key()));
  }

  private static VectorFilter randomFilter(Random random) {
    Set<MemoryStatus> statuses = EnumSet.noneOf(MemoryStatus.class);
    while (statuses.isEmpty()) {
      for (MemoryStatus s : MemoryStatus.values()) {
        if (random.nextInt(3) == 0) {
          statuses.add(s);
        }
      }
    }
    int modulus = 1 + random.nextInt(7);
    int rest = random.nextInt(modulus);
    return new VectorFilter(
        "n" + random.nextInt(3),
        random.nextBoolean() ? null : "id" + random.nextInt(4),
        statuses,
        random.nextBoolean() ? null : key -> key % modulus == rest);
  }

  private static VectorEntry randomEntry(Random random, long key) {
    int r = random.nextInt(10);
    MemoryStatus status = r < 7 ? MemoryStatus.ACTIVE : MemoryStatus.values()[r - 6];
    return new VectorEntry(
        key, randomVector(random), "n" + random.nextInt(3), "id" + random.nextInt(4), status);
  }

  private static float[] randomVector(Random random) {
    return RandomVectors.unit(random, DIMENSION);
  }
}
