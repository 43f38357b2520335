package dev.hotmem.internal.index;

import static dev.hotmem.MemoryStatus.ACTIVE;
import static dev.hotmem.MemoryStatus.ARCHIVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hotmem.MemoryStatus;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.index.VectorIndexContractTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link JVectorIndex} with the exact path turned off wherever it can be ({@code exactLimit} 0), so
 * the contract runs against the graph search, its accept predicate and its fallback.
 */
class JVectorIndexTest extends VectorIndexContractTest {
  @Override
  protected VectorIndex newIndex(int dimension) {
    return new JVectorIndex(dimension, 0);
  }

  @Override
  protected VectorIndex reopen(VectorIndex index, Path dir) throws IOException {
    return AnnFiles.reopen((JVectorIndex) index, dir);
  }

  @Override
  protected double minimumRecall() {
    return 0.95;
  }

  /**
   * 50,000 entries, filters that one of them passes: by identifier, by status, and by a key
   * predicate the index cannot count (so the graph search runs, finds too few, and the exact
   * fallback answers). Each answer must equal the exact index's.
   */
  @Test
  void filtersMatchingOneEntryIn50kAnswerAsExactSearchDoes() {
    long seed = seed("filtersMatchingOneEntryIn50kAnswerAsExactSearchDoes");
    Random random = new Random(seed);
    int dimension = 8;
    List<float[]> centers = clusterCenters(random, 16, dimension);
    List<VectorEntry> entries = new ArrayList<>();
    for (long key = 1; key <= 50_000; key++) {
      entries.add(
          entry(key, near(random, centers.get(random.nextInt(16)), 0.3f), "ns", "crowd", ACTIVE));
    }
    long needle = 1 + random.nextInt(50_000);
    long archived = 1 + random.nextInt(50_000);
    entries.set(
        (int) needle - 1,
        entry(needle, entries.get((int) needle - 1).vector(), "ns", "needle", ACTIVE));
    if (archived != needle) {
      VectorEntry e = entries.get((int) archived - 1);
      entries.set((int) archived - 1, entry(archived, e.vector(), "ns", "crowd", ARCHIVED));
    }
    JVectorIndex index = (JVectorIndex) open(dimension);
    ExactVectorIndex exact = new ExactVectorIndex(dimension);
    try {
      index.upsertAll(entries);
      exact.upsertAll(entries);
      long predicateKey = 1 + random.nextInt(50_000);
      List<VectorFilter> filters =
          List.of(
              new VectorFilter("ns", "needle", Set.of(ACTIVE), null),
              new VectorFilter("ns", null, Set.of(ARCHIVED), null),
              new VectorFilter("ns", null, Set.of(ACTIVE, ARCHIVED), k -> k == predicateKey),
              new VectorFilter("ns", "crowd", Set.of(ACTIVE), k -> k % 10_007 == 3));
      for (int q = 0; q < 5; q++) {
        float[] query = near(random, centers.get(random.nextInt(16)), 0.4f);
        for (VectorFilter filter : filters) {
          List<VectorHit> expected = exact.search(query, 10, filter);
          assertThat(expected).as("seed %d, %s", seed, filter).isNotEmpty();
          List<VectorHit> hits = index.search(query, 10, filter);
          assertThat(hits)
              .as("seed %d, %s", seed, filter)
              .extracting(VectorHit::key)
              .containsExactlyElementsOf(expected.stream().map(VectorHit::key).toList());
          for (int i = 0; i < hits.size(); i++) {
            assertThat(hits.get(i).cosine())
                .isCloseTo(expected.get(i).cosine(), within(COSINE_TOLERANCE));
          }
        }
      }
    } finally {
      exact.close();
    }
  }

  @Test
  void removingManyEntriesRepairsTheGraphAndNeverReturnsThem() {
    long seed = seed("removingManyEntriesRepairsTheGraphAndNeverReturnsThem");
    Random random = new Random(seed);
    int dimension = 16;
    JVectorIndex index = (JVectorIndex) open(dimension);
    ReferenceIndex reference = new ReferenceIndex();
    List<float[]> centers = clusterCenters(random, 8, dimension);
    List<VectorEntry> batch = new ArrayList<>();
    for (long key = 1; key <= 3000; key++) {
      VectorEntry entry = randomEntry(random, key, centers, 2, 2);
      batch.add(entry);
      reference.upsert(entry);
    }
    index.upsertAll(batch);
    for (long key = 1; key <= 3000; key += 3) {
      index.remove(key);
      reference.remove(key);
    }
    // Re-vectored entries retire their old graph node too.
    for (long key = 2; key <= 600; key += 3) {
      VectorEntry entry = randomEntry(random, key, centers, 2, 2);
      index.upsert(entry);
      reference.upsert(entry);
    }

    assertThat(index.size()).isEqualTo(reference.size());
    List<Integer> nodes = index.graphOrdinals();
    assertThat(nodes.size())
        .as("retired nodes were removed from the graph once they passed a tenth")
        .isLessThan(reference.size() + reference.size() / 10 + 65);
    Recall recall = new Recall();
    for (int q = 0; q < 30; q++) {
      float[] query = near(random, centers.get(q % centers.size()), 0.4f);
      for (MemoryStatus status : MemoryStatus.values()) {
        VectorFilter filter = new VectorFilter("n" + (q % 2), null, Set.of(status), null);
        assertMatchesReference(index, reference, query, 10, filter, recall, seed);
      }
    }
    assertThat(recall.value()).as("seed %d", seed).isGreaterThanOrEqualTo(minimumRecall());
  }
}
