package dev.hotmem.internal.index;

import static dev.hotmem.MemoryStatus.ACTIVE;
import static dev.hotmem.MemoryStatus.ARCHIVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.MemoryStatus;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.index.VectorIndexContractTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExactVectorIndexTest extends VectorIndexContractTest {
  private static final int BLOCK = VectorBlock.SIZE;

  @Override
  protected VectorIndex newIndex(int dimension) {
    return new ExactVectorIndex(dimension);
  }

  @Test
  void searchesSpanSeveralBlocks() {
    long seed = seed("searchesSpanSeveralBlocks");
    Random random = new Random(seed);
    Fixture f = new Fixture(random, 8);
    f.fill(1, 2 * BLOCK + BLOCK / 2);

    assertThat(f.index.size()).isEqualTo(2 * BLOCK + BLOCK / 2);
    assertThat(f.index.slotCapacity()).isEqualTo(3 * BLOCK);
    f.assertSearchesMatch(seed);
    assertThat(f.index.contains(BLOCK)).isTrue();
    assertThat(f.index.contains(BLOCK + 1)).isTrue();
    assertThat(f.index.contains(2L * BLOCK + BLOCK / 2)).isTrue();
  }

  @Test
  void removesAcrossBlocksIncludingAWholeBlock() {
    long seed = seed("removesAcrossBlocksIncludingAWholeBlock");
    Random random = new Random(seed);
    Fixture f = new Fixture(random, 8);
    f.fill(1, 3 * BLOCK);
    // A fresh index fills slots in key order, so keys BLOCK+1..2*BLOCK are the whole second block.
    for (long key = BLOCK + 1; key <= 2 * BLOCK; key++) {
      f.remove(key);
    }
    for (long key = 1; key <= 3 * BLOCK; key += 3) {
      f.remove(key);
    }

    assertThat(f.index.size()).isEqualTo(f.reference.size());
    f.assertSearchesMatch(seed);
  }

  @Test
  void freedSlotsAreReusedBeforeTheIndexGrows() {
    long seed = seed("freedSlotsAreReusedBeforeTheIndexGrows");
    Random random = new Random(seed);
    Fixture f = new Fixture(random, 8);
    f.fill(1, BLOCK + 10);
    for (long key = 1; key <= 500; key++) {
      f.remove(key);
    }
    f.fill(5001, 5500);

    assertThat(f.index.slotCapacity()).isEqualTo(2 * BLOCK);
    assertThat(f.index.size()).isEqualTo(BLOCK + 10);
    f.assertSearchesMatch(seed);

    f.fill(6001, 6000 + BLOCK);

    assertThat(f.index.slotCapacity()).isEqualTo(3 * BLOCK);
    f.assertSearchesMatch(seed);
  }

  @Test
  void aBlockEmptiedAndRefilledWithAnotherNamespaceIsFoundUnderTheNewOneOnly() {
    ExactVectorIndex index = new ExactVectorIndex(4);
    float[] vector = unit(1, 2, 3, 4);
    for (long key = 1; key <= BLOCK; key++) {
      index.upsert(entry(key, vector, "old", "me", ACTIVE));
    }
    for (long key = 1; key <= BLOCK; key++) {
      index.remove(key);
    }
    index.upsert(entry(5000, vector, "new", "me", ACTIVE));

    assertThat(index.slotCapacity()).isEqualTo(BLOCK);
    assertThat(index.search(vector, 10, activeIn("old"))).isEmpty();
    assertThat(index.search(vector, 10, activeIn("new")))
        .extracting(VectorHit::key)
        .containsExactly(5000L);
    index.close();
  }

  @Test
  void equalCosinesAreBrokenBySmallerKeyWhateverTheInsertionOrder() {
    ExactVectorIndex index = new ExactVectorIndex(4);
    float[] vector = unit(1, 1, 0, 0);
    for (long key : new long[] {5, 3, 9, 1, 7}) {
      index.upsert(entry(key, vector, "ns", "me", ACTIVE));
    }

    assertThat(index.search(vector, 3, activeIn("ns")))
        .extracting(VectorHit::key)
        .containsExactly(1L, 3L, 5L);
    index.close();
  }

  @Test
  void everyOperationAfterCloseThrows() {
    ExactVectorIndex index = new ExactVectorIndex(4);
    float[] vector = unit(1, 0, 0, 0);
    index.upsert(entry(1, vector, "ns", "me", ACTIVE));
    index.close();
    index.close();

    assertThat(index.dimension()).isEqualTo(4);
    List<Runnable> calls =
        List.of(
            index::size,
            () -> index.upsert(entry(2, vector, "ns", "me", ACTIVE)),
            () -> index.setStatus(1, ARCHIVED),
            () -> index.remove(1),
            () -> index.contains(1),
            index::maxKey,
            () -> index.search(vector, 1, activeIn("ns")),
            () -> index.similarity(vector, 1));
    for (Runnable call : calls) {
      assertThatThrownBy(call::run)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void rejectsNonFiniteVectorsAndBadDimensions() {
    ExactVectorIndex index = new ExactVectorIndex(2);

    assertThatThrownBy(() -> index.upsert(entry(1, new float[] {Float.NaN, 0}, "ns", "me", ACTIVE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vector[0]")
        .hasMessageContaining("NaN");
    assertThatThrownBy(
            () -> index.search(new float[] {0, Float.POSITIVE_INFINITY}, 1, activeIn("ns")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("query[1]");
    assertThatThrownBy(() -> new ExactVectorIndex(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found 0");
    index.close();
  }

  @Test
  void concurrentSearchesDuringWritesNeverSeeFilteredOutEntries() throws Exception {
    long seed = seed("concurrentSearchesDuringWritesNeverSeeFilteredOutEntries");
    int dimension = 16;
    ExactVectorIndex index = new ExactVectorIndex(dimension);
    // A key's attributes follow from the key, so a reader can check any hit without the writer's
    // state: key % 3 == 1 is the only class the readers' filter accepts.
    VectorFilter filter = new VectorFilter("a", null, Set.of(ACTIVE), null);
    Random writerRandom = new Random(seed);
    for (long key = 1; key <= 2 * BLOCK; key++) {
      index.upsert(attributedEntry(writerRandom, key, dimension));
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong searches = new AtomicLong();
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch started = new CountDownLatch(4);
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      Random readerRandom = new Random(seed + 1 + r);
      Thread reader =
          new Thread(
              () -> {
                started.countDown();
                try {
                  do {
                    int k = 1 + readerRandom.nextInt(20);
                    List<VectorHit> hits =
                        index.search(RandomVectors.unit(readerRandom, dimension), k, filter);
                    assertThat(hits).hasSizeLessThanOrEqualTo(k);
                    assertThat(hits).allMatch(hit -> hit.key() % 3 == 1, "key % 3 == 1");
                    assertThat(hits).extracting(VectorHit::key).doesNotHaveDuplicates();
                    searches.incrementAndGet();
                  } while (writing.get());
                } catch (Throwable t) {
                  failures.add(t);
                }
              },
              "reader-" + r);
      reader.start();
      readers.add(reader);
    }
    started.await();
    try {
      for (int op = 0; op < 20_000; op++) {
        long key = 1 + writerRandom.nextInt(3 * BLOCK);
        if (writerRandom.nextInt(3) == 0) {
          index.remove(key);
        } else {
          index.upsert(attributedEntry(writerRandom, key, dimension));
        }
      }
    } finally {
      writing.set(false);
    }
    for (Thread reader : readers) {
      reader.join();
    }

    System.out.println(searches.get() + " searches ran during 20000 writes");
    assertThat(failures).as("seed %d", seed).isEmpty();
    index.close();
  }

  private static VectorEntry attributedEntry(Random random, long key, int dimension) {
    MemoryStatus status = key % 3 == 1 ? ACTIVE : ARCHIVED;
    String namespace = key % 3 == 0 ? "b" : "a";
    return entry(key, RandomVectors.unit(random, dimension), namespace, "id" + key % 5, status);
  }

  /** An index and a reference kept in step, with random clustered entries. */
  private final class Fixture {
    final Random random;
    final ExactVectorIndex index;
    final ReferenceIndex reference = new ReferenceIndex();
    final List<float[]> centers;

    Fixture(Random random, int dimension) {
      this.random = random;
      this.index = (ExactVectorIndex) open(dimension);
      this.centers = clusterCenters(random, 5, dimension);
    }

    void fill(long firstKey, long lastKey) {
      for (long key = firstKey; key <= lastKey; key++) {
        VectorEntry entry = randomEntry(random, key, centers, 2, 3);
        index.upsert(entry);
        reference.upsert(entry);
      }
    }

    void remove(long key) {
      index.remove(key);
      reference.remove(key);
    }

    void assertSearchesMatch(long seed) {
      List<VectorFilter> filters =
          List.of(
              activeIn("n0"),
              new VectorFilter("n1", "id1", Set.of(ACTIVE, ARCHIVED), null),
              new VectorFilter("n1", null, Set.of(ACTIVE), key -> key % 7 == 0));
      Recall recall = new Recall();
      for (int q = 0; q < 10; q++) {
        float[] query = near(random, centers.get(q % centers.size()), 0.4f);
        for (VectorFilter filter : filters) {
          for (int k : new int[] {1, 10, 100}) {
            assertMatchesReference(index, reference, query, k, filter, recall, seed);
          }
        }
      }
      assertThat(recall.value()).isEqualTo(1.0);
    }
  }
}
