package dev.hotmem.internal.index;

import static dev.hotmem.MemoryStatus.ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.MemoryStatus;
import dev.hotmem.VectorIndexStatus;
import dev.hotmem.VectorIndexStatus.Kind;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.index.VectorIndexContractTest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link TieredVectorIndex} with a threshold of 200, so the contract's larger tests run on the
 * graph after the switch and the small ones on the exact index.
 */
class TieredVectorIndexTest extends VectorIndexContractTest {
  @Override
  protected VectorIndex newIndex(int dimension) {
    return new TieredVectorIndex(dimension, 200);
  }

  @Override
  protected VectorIndex reopen(VectorIndex index, Path dir) throws IOException {
    JVectorIndex graph = ((TieredVectorIndex) index).graph();
    assertThat(graph).as("700 entries are past the threshold of 200").isNotNull();
    return new TieredVectorIndex(AnnFiles.reopen(graph, dir), 200);
  }

  @Test
  void switchesToTheGraphPastTheThresholdAndKeepsEveryEntry() {
    long seed = seed("switchesToTheGraphPastTheThresholdAndKeepsEveryEntry");
    Random random = new Random(seed);
    TieredVectorIndex index = (TieredVectorIndex) open(8);
    ReferenceIndex reference = new ReferenceIndex();
    List<float[]> centers = clusterCenters(random, 4, 8);
    for (long key = 1; key <= 200; key++) {
      VectorEntry entry = randomEntry(random, key, centers, 2, 3);
      index.upsert(entry);
      reference.upsert(entry);
    }
    index.setStatus(5, ACTIVE);
    reference.setStatus(5, ACTIVE);
    index.remove(6);
    reference.remove(6);
    assertThat(index.graph()).as("at the threshold").isNull();
    assertThat(index.status()).isEqualTo(new VectorIndexStatus(Kind.EXACT, 199, false, 0));

    List<VectorEntry> batch = new ArrayList<>();
    for (long key = 201; key <= 260; key++) {
      batch.add(randomEntry(random, key, centers, 2, 3));
    }
    index.upsertAll(batch);
    batch.forEach(reference::upsert);

    assertThat(index.graph()).as("past the threshold").isNotNull();
    assertThat(index.status())
        .isEqualTo(
            new VectorIndexStatus(
                Kind.GRAPH, 259, false, JVectorIndex.Params.DEFAULT.searchBeamFor(259)));
    assertThat(index.size()).isEqualTo(reference.size()).isEqualTo(259);
    assertThat(index.contains(6)).isFalse();
    assertThat(index.maxKey()).isEqualTo(260);
    Recall recall = new Recall();
    for (int q = 0; q < 20; q++) {
      float[] query = near(random, centers.get(q % centers.size()), 0.4f);
      assertMatchesReference(index, reference, query, 10, activeIn("n" + (q % 2)), recall, seed);
    }
    List<VectorHit> all = index.search(near(random, centers.get(0), 0.4f), 1000, activeIn("n0"));
    assertThat(all).hasSize(reference.search(new float[8], 1000, activeIn("n0")).size());
  }

  /**
   * Past {@link TieredVectorIndex#SYNCHRONOUS_BUILD_LIMIT} the graph is built in the background:
   * searches stay exact and writes keep landing meanwhile, and once it is swapped in it holds
   * exactly what the exact index held, writes made during the build included.
   */
  @Test
  void aLargeSwitchBuildsInTheBackgroundAndKeepsWritesMadeMeanwhile() throws Exception {
    long seed = seed("aLargeSwitchBuildsInTheBackgroundAndKeepsWritesMadeMeanwhile");
    Random random = new Random(seed);
    int dimension = 8;
    int size = TieredVectorIndex.SYNCHRONOUS_BUILD_LIMIT + 1000;
    TieredVectorIndex index = new TieredVectorIndex(dimension, 200);
    try {
      ReferenceIndex reference = new ReferenceIndex();
      List<float[]> centers = clusterCenters(random, 6, dimension);
      List<VectorEntry> batch = new ArrayList<>();
      for (long key = 1; key <= size; key++) {
        batch.add(randomEntry(random, key, centers, 2, 3));
      }
      // Below the threshold, then one batch that takes the index past the synchronous limit.
      index.upsertAll(batch.subList(0, 150));
      index.upsertAll(batch.subList(150, size));
      batch.forEach(reference::upsert);
      Set<Long> keys = new HashSet<>();
      batch.forEach(e -> keys.add(e.key()));
      assertThat(index.building())
          .as("a graph of %d entries builds in the background", size)
          .isTrue();
      assertThat(index.graph()).isNull();
      assertThat(index.status()).isEqualTo(new VectorIndexStatus(Kind.EXACT, size, true, 0));

      // Writes during the build: new entries, re-vectored ones, removals, status changes.
      Recall recall = new Recall();
      for (int i = 0; i < 300; i++) {
        long key = 1 + random.nextInt(size + 100);
        switch (i % 4) {
          case 0, 1 -> {
            VectorEntry e = randomEntry(random, key, centers, 2, 3);
            index.upsert(e);
            reference.upsert(e);
            keys.add(key);
          }
          case 2 -> {
            index.remove(key);
            reference.remove(key);
            keys.remove(key);
          }
          default -> {
            MemoryStatus status = randomStatus(random);
            index.setStatus(key, status);
            reference.setStatus(key, status);
          }
        }
        if (i % 50 == 0) {
          float[] query = near(random, centers.get(i % centers.size()), 0.4f);
          assertMatchesReference(index, reference, query, 10, activeIn("n0"), recall, seed);
        }
      }

      assertThat(index.awaitGraph(Duration.ofMinutes(2))).as("graph swapped in").isTrue();
      assertThat(index.building()).isFalse();
      assertThat(index.size()).isEqualTo(reference.size());
      assertThat(index.status().kind()).isEqualTo(Kind.GRAPH);
      assertThat(index.status().building()).isFalse();
      assertThat(index.status().entries()).isEqualTo(reference.size());
      for (int q = 0; q < 30; q++) {
        float[] query = near(random, centers.get(q % centers.size()), 0.4f);
        for (MemoryStatus status : MemoryStatus.values()) {
          VectorFilter filter = new VectorFilter("n" + (q % 2), null, Set.of(status), null);
          assertMatchesReference(index, reference, query, 10, filter, recall, seed);
        }
      }
      for (long key = 1; key <= size + 100; key++) {
        assertThat(index.contains(key)).as("key %d", key).isEqualTo(keys.contains(key));
      }
    } finally {
      index.close();
    }
  }

  @Test
  void closeStopsABackgroundBuild() {
    Random random = new Random(3);
    TieredVectorIndex index = new TieredVectorIndex(8, 10);
    List<float[]> centers = clusterCenters(random, 4, 8);
    List<VectorEntry> batch = new ArrayList<>();
    for (long key = 1; key <= TieredVectorIndex.SYNCHRONOUS_BUILD_LIMIT * 4L; key++) {
      batch.add(randomEntry(random, key, centers, 1, 1));
    }
    index.upsertAll(batch);
    assertThat(index.building()).isTrue();

    index.close();

    assertThat(index.building()).as("the builder stopped").isFalse();
    assertThatThrownBy(() -> index.size()).isInstanceOf(IllegalStateException.class);
  }
}
