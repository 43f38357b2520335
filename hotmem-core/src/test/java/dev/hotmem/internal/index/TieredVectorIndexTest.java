package dev.hotmem.internal.index;

import static dev.hotmem.MemoryStatus.ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.index.VectorIndexContractTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

    List<VectorEntry> batch = new ArrayList<>();
    for (long key = 201; key <= 260; key++) {
      batch.add(randomEntry(random, key, centers, 2, 3));
    }
    index.upsertAll(batch);
    batch.forEach(reference::upsert);

    assertThat(index.graph()).as("past the threshold").isNotNull();
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
}
