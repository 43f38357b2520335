package dev.hotmem.index;

import static dev.hotmem.MemoryStatus.ACTIVE;
import static dev.hotmem.MemoryStatus.ARCHIVED;
import static dev.hotmem.MemoryStatus.FORGOTTEN;
import static dev.hotmem.MemoryStatus.SUPERSEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hotmem.MemoryStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link VectorIndex} must show. An implementation's test extends this class
 * and supplies {@link #newIndex}; an approximate index also lowers {@link #minimumRecall}.
 *
 * <p>Randomized tests print their seed; rerun one with {@code -Dhotmem.seed=<seed>}.
 */
public abstract class VectorIndexContractTest {
  /** Tolerance for a cosine computed in a different summation order than the reference's. */
  protected static final float COSINE_TOLERANCE = 1e-5f;

  private static final Set<MemoryStatus> ACTIVE_ONLY = EnumSet.of(ACTIVE);

  private final List<VectorIndex> opened = new ArrayList<>();

  protected VectorIndexContractTest() {}

  /** A new, empty index of vectors with {@code dimension} components. */
  protected abstract VectorIndex newIndex(int dimension);

  /**
   * The fraction of the true top-k (ties within {@link #COSINE_TOLERANCE} counted as equal) that
   * {@link #assertMatchesReference} requires over a randomized run. 1 for an exact index; an
   * approximate index overrides it.
   */
  protected double minimumRecall() {
    return 1.0;
  }

  /**
   * {@code index} written to its persistent form in {@code dir} and read back as a new index
   * (closed after the test), or null if the implementation has no persistent form; {@code index} is
   * closed by this call or after the test.
   */
  protected VectorIndex reopen(VectorIndex index, Path dir) throws IOException {
    return null;
  }

  @AfterEach
  void closeIndexes() {
    opened.forEach(VectorIndex::close);
  }

  /** {@link #newIndex}, closed after the test. */
  protected final VectorIndex open(int dimension) {
    VectorIndex index = newIndex(dimension);
    opened.add(index);
    return index;
  }

  @Test
  void roundTripFindsTheExactVectorWithCosineOne() {
    VectorIndex index = open(4);
    float[] vector = unit(0.3f, -0.2f, 0.9f, 0.1f);
    index.upsert(entry(42, vector, "ns", "me", ACTIVE));
    index.upsert(entry(7, unit(-0.3f, 0.2f, 0.1f, 0.5f), "ns", "me", ACTIVE));

    List<VectorHit> hits = index.search(vector, 1, activeIn("ns"));

    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).key()).isEqualTo(42);
    assertThat(hits.get(0).cosine()).isCloseTo(1f, within(COSINE_TOLERANCE));
    assertThat(index.similarity(vector, 42)).isCloseTo(1f, within(COSINE_TOLERANCE));
  }

  @Test
  void similaritiesAnswerEachKeyAsSimilarityDoes() {
    VectorIndex index = open(4);
    index.upsert(entry(1, unit(1, 0, 0, 0), "ns", "me", ACTIVE));
    index.upsert(entry(2, unit(1, 1, 0, 0), "other", "you", ARCHIVED));
    index.upsert(entry(3, unit(0, 0, 1, 0), "ns", "me", ACTIVE));
    index.remove(3);
    float[] query = unit(1, 0, 0, 0);
    long[] keys = {2, 99, 1, 3, 2};
    float[] out = new float[6];
    out[5] = 42f;

    index.similarities(query, keys, out);

    assertThat(out[0]).isCloseTo((float) Math.sqrt(0.5), within(COSINE_TOLERANCE));
    assertThat(out[1]).as("absent key").isNaN();
    assertThat(out[2]).isCloseTo(1f, within(COSINE_TOLERANCE));
    assertThat(out[3]).as("removed key").isNaN();
    assertThat(out[4]).isEqualTo(out[0]);
    assertThat(out[5]).as("past the keys, untouched").isEqualTo(42f);
    for (int i = 0; i < keys.length; i++) {
      float single = index.similarity(query, keys[i]);
      assertThat(Float.isNaN(single) ? "NaN" : "value")
          .isEqualTo(Float.isNaN(out[i]) ? "NaN" : "value");
      if (!Float.isNaN(single)) {
        assertThat(out[i]).isCloseTo(single, within(COSINE_TOLERANCE));
      }
    }
    index.similarities(query, new long[0], new float[0]);
    assertThatThrownBy(() -> index.similarities(query, keys, new float[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out");
    assertThatThrownBy(() -> index.similarities(unit(1, 0), keys, out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 4");
  }

  @Test
  void hitsComeBestFirst() {
    VectorIndex index = open(4);
    index.upsert(entry(3, unit(1, 3, 0, 0), "ns", "me", ACTIVE));
    index.upsert(entry(5, unit(-1, 0, 0, 0), "ns", "me", ACTIVE));
    index.upsert(entry(1, unit(1, 0, 0, 0), "ns", "me", ACTIVE));
    index.upsert(entry(4, unit(0, 1, 0, 0), "ns", "me", ACTIVE));
    index.upsert(entry(2, unit(1, 1, 0, 0), "ns", "me", ACTIVE));
    float[] query = unit(1, 0, 0, 0);

    List<VectorHit> all = index.search(query, 5, activeIn("ns"));
    List<VectorHit> two = index.search(query, 2, activeIn("ns"));

    assertThat(all).extracting(VectorHit::key).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(all)
        .extracting(VectorHit::cosine)
        .usingElementComparator(cosineComparator())
        .containsExactly(1f, (float) Math.sqrt(0.5), (float) (1 / Math.sqrt(10)), 0f, -1f);
    assertThat(two).extracting(VectorHit::key).containsExactly(1L, 2L);
  }

  @Test
  void kLargerThanSizeReturnsEveryMatch() {
    VectorIndex index = open(4);
    index.upsert(entry(1, unit(1, 0, 0, 0), "ns", "me", ACTIVE));
    index.upsert(entry(2, unit(0, 1, 0, 0), "ns", "me", ACTIVE));
    index.upsert(entry(3, unit(0, 0, 1, 0), "ns", "me", ACTIVE));

    assertThat(index.search(unit(1, 1, 1, 1), 1000, activeIn("ns")))
        .extracting(VectorHit::key)
        .containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(index.search(unit(1, 1, 1, 1), Integer.MAX_VALUE, activeIn("ns"))).hasSize(3);
  }

  @Test
  void upsertReplacesVectorAndAttributes() {
    VectorIndex index = open(4);
    float[] before = unit(1, 0, 0, 0);
    float[] after = unit(0, 1, 0, 0);
    index.upsert(entry(9, before, "old", "me", ACTIVE));
    index.upsert(entry(9, after, "new", "you", ARCHIVED));

    assertThat(index.size()).isEqualTo(1);
    assertThat(index.search(before, 5, activeIn("old"))).isEmpty();
    assertThat(index.search(before, 5, new VectorFilter("new", "you", Set.of(ARCHIVED), null)))
        .singleElement()
        .satisfies(hit -> assertThat(hit.cosine()).isCloseTo(0f, within(COSINE_TOLERANCE)));
    assertThat(index.similarity(after, 9)).isCloseTo(1f, within(COSINE_TOLERANCE));
  }

  @Test
  void removedEntriesAreGone() {
    VectorIndex index = open(4);
    float[] vector = unit(1, 2, 3, 4);
    index.upsert(entry(1, vector, "ns", "me", ACTIVE));
    index.upsert(entry(2, unit(4, 3, 2, 1), "ns", "me", ACTIVE));

    index.remove(1);
    index.remove(1);
    index.remove(12345);

    assertThat(index.size()).isEqualTo(1);
    assertThat(index.contains(1)).isFalse();
    assertThat(index.contains(2)).isTrue();
    assertThat(index.similarity(vector, 1)).isNaN();
    assertThat(index.search(vector, 10, activeIn("ns")))
        .extracting(VectorHit::key)
        .containsOnly(2L);
  }

  @Test
  void statusChangesMoveEntriesBetweenStatusFilters() {
    VectorIndex index = open(4);
    float[] vector = unit(1, 1, 0, 0);
    index.upsert(entry(1, vector, "ns", "me", ACTIVE));
    index.upsert(entry(2, vector, "ns", "me", ACTIVE));
    VectorFilter archived = new VectorFilter("ns", null, Set.of(ARCHIVED), null);
    VectorFilter both = new VectorFilter("ns", null, Set.of(ACTIVE, ARCHIVED), null);

    index.setStatus(1, ARCHIVED);
    index.setStatus(777, ARCHIVED);

    assertThat(index.search(vector, 10, activeIn("ns")))
        .extracting(VectorHit::key)
        .containsOnly(2L);
    assertThat(index.search(vector, 10, archived)).extracting(VectorHit::key).containsOnly(1L);
    assertThat(index.search(vector, 10, both)).extracting(VectorHit::key).containsOnly(1L, 2L);
    assertThat(index.contains(777)).isFalse();

    index.setStatus(1, ACTIVE);

    assertThat(index.search(vector, 10, activeIn("ns")))
        .extracting(VectorHit::key)
        .containsOnly(1L, 2L);
    assertThat(index.search(vector, 10, archived)).isEmpty();
  }

  @Test
  void namespacesAreIsolated() {
    VectorIndex index = open(4);
    float[] vector = unit(1, 0, 1, 0);
    index.upsert(entry(1, vector, "alpha", "me", ACTIVE));
    index.upsert(entry(2, vector, "beta", "me", ACTIVE));

    assertThat(index.search(vector, 10, activeIn("alpha")))
        .extracting(VectorHit::key)
        .containsOnly(1L);
    assertThat(index.search(vector, 10, activeIn("beta")))
        .extracting(VectorHit::key)
        .containsOnly(2L);
    assertThat(index.search(vector, 10, activeIn("gamma"))).isEmpty();
  }

  @Test
  void identifierFilterKeepsOnlyThatIdentifier() {
    VectorIndex index = open(4);
    float[] vector = unit(0, 1, 0, 1);
    index.upsert(entry(1, vector, "ns", "ann", ACTIVE));
    index.upsert(entry(2, vector, "ns", "bob", ACTIVE));
    index.upsert(entry(3, vector, "ns", "ann", ACTIVE));

    assertThat(index.search(vector, 10, new VectorFilter("ns", "ann", ACTIVE_ONLY, null)))
        .extracting(VectorHit::key)
        .containsOnly(1L, 3L);
    assertThat(index.search(vector, 10, new VectorFilter("ns", "bob", ACTIVE_ONLY, null)))
        .extracting(VectorHit::key)
        .containsOnly(2L);
    assertThat(index.search(vector, 10, new VectorFilter("ns", "cat", ACTIVE_ONLY, null)))
        .isEmpty();
    assertThat(index.search(vector, 10, activeIn("ns"))).hasSize(3);
  }

  @Test
  void allowedKeysPredicateFiltersKeys() {
    VectorIndex index = open(4);
    float[] vector = unit(1, 1, 1, 0);
    for (long key = 1; key <= 10; key++) {
      index.upsert(entry(key, vector, "ns", "me", ACTIVE));
    }

    List<VectorHit> hits =
        index.search(vector, 10, new VectorFilter("ns", null, ACTIVE_ONLY, key -> key % 3 == 0));

    assertThat(hits).extracting(VectorHit::key).containsExactlyInAnyOrder(3L, 6L, 9L);
  }

  @Test
  void neverReturnsAnEntryAVerySelectiveFilterRejects() {
    long seed = seed("neverReturnsAnEntryAVerySelectiveFilterRejects");
    Random random = new Random(seed);
    int dimension = 16;
    VectorIndex index = open(dimension);
    ReferenceIndex reference = new ReferenceIndex();
    List<float[]> centers = clusterCenters(random, 6, dimension);
    for (long key = 1; key <= 800; key++) {
      VectorEntry entry = randomEntry(random, key, centers, 3, 4);
      index.upsert(entry);
      reference.upsert(entry);
    }
    // About 1 in 240 random entries passes (1/3 namespaces, 1/4 identifiers, 1/10 statuses, odd
    // keys); three more that surely pass make sure there is something to find.
    VectorFilter selective = new VectorFilter("n0", "id1", Set.of(ARCHIVED), key -> key % 2 == 1);
    for (long key = 801; key <= 805; key += 2) {
      VectorEntry entry = entry(key, near(random, centers.get(0), 0.3f), "n0", "id1", ARCHIVED);
      index.upsert(entry);
      reference.upsert(entry);
    }
    Recall recall = new Recall();

    for (int q = 0; q < 30; q++) {
      float[] query = near(random, centers.get(random.nextInt(centers.size())), 0.3f);
      int k = 1 + random.nextInt(12);
      List<VectorHit> hits = index.search(query, k, selective);

      assertThat(hits).as("seed %d", seed).allMatch(hit -> reference.accepts(hit.key(), selective));
      assertMatchesReference(index, reference, query, k, selective, recall, seed);
    }
    assertThat(recall.value()).as("recall, seed %d", seed).isGreaterThanOrEqualTo(minimumRecall());
  }

  @Test
  void reopenedIndexAnswersAsBeforeAndKeepsWorking(@TempDir Path dir) throws IOException {
    long seed = seed("reopenedIndexAnswersAsBeforeAndKeepsWorking");
    Random random = new Random(seed);
    int dimension = 16;
    VectorIndex index = open(dimension);
    ReferenceIndex reference = new ReferenceIndex();
    List<float[]> centers = clusterCenters(random, 8, dimension);
    List<VectorEntry> batch = new ArrayList<>();
    for (long key = 1; key <= 700; key++) {
      batch.add(randomEntry(random, key, centers, 3, 4));
    }
    index.upsertAll(batch);
    batch.forEach(reference::upsert);
    for (int i = 0; i < 120; i++) {
      long key = 1 + random.nextInt(700);
      if (i % 2 == 0) {
        index.remove(key);
        reference.remove(key);
      } else {
        MemoryStatus status = randomStatus(random);
        index.setStatus(key, status);
        reference.setStatus(key, status);
      }
    }

    VectorIndex reopened = reopen(index, dir);
    Assumptions.assumeTrue(reopened != null, "the index has no persistent form");
    opened.add(reopened);

    assertThat(reopened.size()).isEqualTo(reference.size());
    assertThat(reopened.maxKey()).isEqualTo(700);
    List<VectorFilter> filters =
        List.of(
            activeIn("n0"),
            new VectorFilter("n1", "id2", ACTIVE_ONLY, null),
            new VectorFilter("n2", null, Set.of(ARCHIVED, FORGOTTEN), key -> key % 2 == 0));
    Recall recall = new Recall();
    for (int q = 0; q < 20; q++) {
      float[] query = near(random, centers.get(q % centers.size()), 0.4f);
      for (VectorFilter filter : filters) {
        assertMatchesReference(reopened, reference, query, 10, filter, recall, seed);
      }
    }
    // The reopened index takes writes like a fresh one.
    for (long key = 701; key <= 760; key++) {
      VectorEntry entry = randomEntry(random, key, centers, 3, 4);
      reopened.upsert(entry);
      reference.upsert(entry);
    }
    for (long key = 1; key <= 40; key++) {
      reopened.remove(key);
      reference.remove(key);
      reopened.setStatus(key + 100, ARCHIVED);
      reference.setStatus(key + 100, ARCHIVED);
    }
    assertThat(reopened.size()).isEqualTo(reference.size());
    for (int q = 0; q < 20; q++) {
      float[] query = near(random, centers.get(q % centers.size()), 0.4f);
      for (VectorFilter filter : filters) {
        assertMatchesReference(reopened, reference, query, 10, filter, recall, seed);
      }
    }
    assertThat(recall.value()).as("recall, seed %d", seed).isGreaterThanOrEqualTo(minimumRecall());
  }

  @Test
  void sizeContainsAndMaxKeyTrackUpsertsAndRemoves() {
    VectorIndex index = open(4);
    assertThat(index.size()).isZero();
    assertThat(index.maxKey()).isZero();
    assertThat(index.contains(1)).isFalse();

    index.upsert(entry(5, unit(1, 0, 0, 0), "ns", "me", ACTIVE));
    index.upsert(entry(70, unit(0, 1, 0, 0), "ns", "me", ACTIVE));
    index.upsert(entry(12, unit(0, 0, 1, 0), "other", "me", FORGOTTEN));
    index.upsert(entry(5, unit(0, 0, 0, 1), "ns", "me", ACTIVE));

    assertThat(index.size()).isEqualTo(3);
    assertThat(index.maxKey()).isEqualTo(70);
    assertThat(index.contains(12)).isTrue();

    index.remove(70);

    assertThat(index.size()).isEqualTo(2);
    assertThat(index.contains(70)).isFalse();
    assertThat(index.maxKey()).as("the largest key ever added").isEqualTo(70);
  }

  @Test
  void dimensionMismatchesAndBadKAreRejected() {
    VectorIndex index = open(4);
    index.upsert(entry(1, unit(1, 0, 0, 0), "ns", "me", ACTIVE));

    assertThat(index.dimension()).isEqualTo(4);
    assertThatThrownBy(() -> index.upsert(entry(2, unit(1, 0, 0), "ns", "me", ACTIVE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 4")
        .hasMessageContaining("found 3");
    assertThatThrownBy(() -> index.search(unit(1, 0, 0, 0, 0), 1, activeIn("ns")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 4")
        .hasMessageContaining("found 5");
    assertThatThrownBy(() -> index.search(unit(1, 0, 0, 0), 0, activeIn("ns")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found 0");
    assertThatThrownBy(() -> index.similarity(unit(1, 0), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 4")
        .hasMessageContaining("found 2");
    assertThat(index.size()).as("a rejected upsert changes nothing").isEqualTo(1);
    assertThat(index.contains(2)).isFalse();
  }

  @Test
  void emptyIndexFindsNothing() {
    VectorIndex index = open(4);

    assertThat(index.search(unit(1, 0, 0, 0), 10, activeIn("ns"))).isEmpty();
    assertThat(index.similarity(unit(1, 0, 0, 0), 1)).isNaN();
  }

  @Test
  void randomizedSearchesMatchABruteForceReference() {
    long seed = seed("randomizedSearchesMatchABruteForceReference");
    Random random = new Random(seed);
    int dimension = 16;
    VectorIndex index = open(dimension);
    ReferenceIndex reference = new ReferenceIndex();
    List<float[]> centers = clusterCenters(random, 8, dimension);
    int count = 600;
    for (long key = 1; key <= count; key++) {
      VectorEntry entry = randomEntry(random, key, centers, 3, 4);
      index.upsert(entry);
      reference.upsert(entry);
    }
    for (int i = 0; i < 150; i++) {
      long key = 1 + random.nextInt(count);
      switch (i % 3) {
        case 0 -> {
          index.remove(key);
          reference.remove(key);
        }
        case 1 -> {
          VectorEntry entry = randomEntry(random, key, centers, 3, 4);
          index.upsert(entry);
          reference.upsert(entry);
        }
        default -> {
          MemoryStatus status = randomStatus(random);
          index.setStatus(key, status);
          reference.setStatus(key, status);
        }
      }
    }
    assertThat(index.size()).isEqualTo(reference.size());

    List<VectorFilter> filters =
        List.of(
            activeIn("n0"),
            new VectorFilter("n1", "id2", ACTIVE_ONLY, null),
            new VectorFilter("n2", null, Set.of(ACTIVE, ARCHIVED), null),
            new VectorFilter("n0", null, EnumSet.allOf(MemoryStatus.class), key -> key % 3 == 0),
            new VectorFilter("n1", "id0", Set.of(SUPERSEDED, FORGOTTEN), key -> key > 300),
            new VectorFilter("n1", "nobody", ACTIVE_ONLY, null),
            activeIn("missing"));
    Recall recall = new Recall();
    for (int q = 0; q < 40; q++) {
      float[] query = near(random, centers.get(q % centers.size()), 0.4f);
      for (VectorFilter filter : filters) {
        for (int k : new int[] {1, 7, 25, 1000}) {
          assertMatchesReference(index, reference, query, k, filter, recall, seed);
        }
      }
    }
    assertThat(recall.value()).as("recall, seed %d", seed).isGreaterThanOrEqualTo(minimumRecall());
  }

  @Test
  void aBatchAnswersEachQueryAsASearchWould() {
    long seed = seed("aBatchAnswersEachQueryAsASearchWould");
    Random random = new Random(seed);
    int dimension = 16;
    VectorIndex index = open(dimension);
    List<float[]> centers = clusterCenters(random, 8, dimension);
    for (long key = 1; key <= 3000; key++) {
      index.upsert(randomEntry(random, key, centers, 3, 4));
    }
    index.remove(17);
    index.setStatus(18, ARCHIVED);
    List<VectorFilter> filters =
        List.of(
            activeIn("n0"),
            new VectorFilter("n1", "id2", ACTIVE_ONLY, null),
            new VectorFilter("n2", null, Set.of(ACTIVE, ARCHIVED), key -> key % 2 == 0),
            activeIn("missing"));
    List<VectorQuery> batch = new java.util.ArrayList<>();
    for (int q = 0; q < 24; q++) {
      batch.add(
          new VectorQuery(
              near(random, centers.get(q % centers.size()), 0.4f),
              1 + random.nextInt(40),
              filters.get(q % filters.size())));
    }
    List<List<VectorHit>> answers = index.searchAll(batch);
    assertThat(answers).as("seed %d", seed).hasSize(batch.size());
    for (int q = 0; q < batch.size(); q++) {
      VectorQuery query = batch.get(q);
      assertThat(answers.get(q))
          .as("query %d, seed %d", q, seed)
          .isEqualTo(index.search(query.vector(), query.k(), query.filter()));
    }
    assertThat(index.searchAll(List.of())).isEmpty();
  }

  /**
   * Searches {@code index} and checks the hits against {@code reference}: every hit passes the
   * filter, carries its true cosine, appears once, and hits come best first; adds to {@code recall}
   * how many of the true top {@code k} were found, counting a hit whose cosine ties the k-th best
   * within {@link #COSINE_TOLERANCE} as found. With {@link #minimumRecall} at 1, also requires
   * every expected hit.
   */
  protected final void assertMatchesReference(
      VectorIndex index,
      ReferenceIndex reference,
      float[] query,
      int k,
      VectorFilter filter,
      Recall recall,
      long seed) {
    List<VectorHit> hits = index.search(query, k, filter);
    List<VectorHit> expected = reference.search(query, Integer.MAX_VALUE, filter);
    int wanted = Math.min(k, expected.size());
    String context = "seed " + seed + ", k " + k + ", " + filter;

    assertThat(hits).as(context).hasSizeLessThanOrEqualTo(wanted);
    assertThat(hits).extracting(VectorHit::key).as(context).doesNotHaveDuplicates();
    assertThat(hits)
        .extracting(VectorHit::cosine)
        .as(context)
        .isSortedAccordingTo(Comparator.reverseOrder());
    int found = 0;
    for (VectorHit hit : hits) {
      assertThat(reference.accepts(hit.key(), filter)).as(context + ", hit " + hit).isTrue();
      float trueCosine = reference.cosine(query, hit.key());
      assertThat(hit.cosine())
          .as(context + ", hit " + hit)
          .isCloseTo(trueCosine, within(COSINE_TOLERANCE));
      if (trueCosine >= expected.get(wanted - 1).cosine() - COSINE_TOLERANCE) {
        found++;
      }
    }
    if (minimumRecall() >= 1.0) {
      assertThat(found).as(context + ", expected " + expected.subList(0, wanted)).isEqualTo(wanted);
    }
    recall.add(found, wanted);
  }

  /** Found versus wanted hits over many searches. */
  protected static final class Recall {
    private long found;
    private long wanted;

    public Recall() {}

    void add(int found, int wanted) {
      this.found += found;
      this.wanted += wanted;
    }

    /** found / wanted, or 1 if nothing was wanted. */
    public double value() {
      return wanted == 0 ? 1.0 : (double) found / wanted;
    }
  }

  /** The obviously correct index: a map scanned in full, cosines computed in double. */
  protected static final class ReferenceIndex {
    private final Map<Long, VectorEntry> entries = new LinkedHashMap<>();

    public ReferenceIndex() {}

    public void upsert(VectorEntry entry) {
      entries.put(entry.key(), entry);
    }

    public void remove(long key) {
      entries.remove(key);
    }

    public void setStatus(long key, MemoryStatus status) {
      VectorEntry e = entries.get(key);
      if (e != null) {
        entries.put(key, new VectorEntry(key, e.vector(), e.namespace(), e.identifier(), status));
      }
    }

    public int size() {
      return entries.size();
    }

    public boolean accepts(long key, VectorFilter filter) {
      VectorEntry e = entries.get(key);
      LongPredicate allowed = filter.allowedKeys();
      return e != null
          && e.namespace().equals(filter.namespace())
          && (filter.identifier() == null || e.identifier().equals(filter.identifier()))
          && filter.statuses().contains(e.status())
          && (allowed == null || allowed.test(key));
    }

    public float cosine(float[] query, long key) {
      float[] vector = entries.get(key).vector();
      double dot = 0;
      for (int d = 0; d < query.length; d++) {
        dot += (double) query[d] * vector[d];
      }
      return (float) dot;
    }

    /** The best {@code k} accepted entries, best first, ties by ascending key. */
    public List<VectorHit> search(float[] query, int k, VectorFilter filter) {
      List<VectorHit> all = new ArrayList<>();
      for (long key : entries.keySet()) {
        if (accepts(key, filter)) {
          all.add(new VectorHit(key, cosine(query, key)));
        }
      }
      all.sort(
          Comparator.comparingDouble((VectorHit h) -> -h.cosine())
              .thenComparingLong(VectorHit::key));
      return all.subList(0, Math.min(k, all.size()));
    }
  }

  /**
   * The seed for a randomized test: {@code -Dhotmem.seed} if set, else a fresh one; printed either
   * way so a failure can be replayed.
   */
  protected static long seed(String test) {
    long seed = Long.getLong("hotmem.seed", System.nanoTime());
    System.out.println(test + " seed=" + seed + " (rerun with -Dhotmem.seed=" + seed + ")");
    return seed;
  }

  protected static VectorFilter activeIn(String namespace) {
    return new VectorFilter(namespace, null, ACTIVE_ONLY, null);
  }

  protected static VectorEntry entry(
      long key, float[] vector, String namespace, String identifier, MemoryStatus status) {
    return new VectorEntry(key, vector, namespace, identifier, status);
  }

  /** {@code components} scaled to length 1. */
  protected static float[] unit(float... components) {
    double norm = 0;
    for (float c : components) {
      norm += (double) c * c;
    }
    float[] v = components.clone();
    for (int d = 0; d < v.length; d++) {
      v[d] = (float) (v[d] / Math.sqrt(norm));
    }
    return v;
  }

  protected static List<float[]> clusterCenters(Random random, int count, int dimension) {
    List<float[]> centers = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      centers.add(near(random, new float[dimension], 1f));
    }
    return centers;
  }

  /**
   * A unit vector near {@code center}: center plus Gaussian noise of {@code spread}, normalised.
   */
  protected static float[] near(Random random, float[] center, float spread) {
    float[] v = new float[center.length];
    for (int d = 0; d < v.length; d++) {
      v[d] = center[d] + spread * (float) random.nextGaussian();
    }
    return unit(v);
  }

  /**
   * An entry near one of {@code centers}, in one of {@code namespaces} namespaces {@code n0, n1..}
   * and {@code identifiers} identifiers {@code id0, id1..}.
   */
  protected static VectorEntry randomEntry(
      Random random, long key, List<float[]> centers, int namespaces, int identifiers) {
    return entry(
        key,
        near(random, centers.get(random.nextInt(centers.size())), 0.3f),
        "n" + random.nextInt(namespaces),
        "id" + random.nextInt(identifiers),
        randomStatus(random));
  }

  /** Mostly active, as in a real store: 70% active, 10% each of the others. */
  protected static MemoryStatus randomStatus(Random random) {
    int r = random.nextInt(10);
    return r < 7 ? ACTIVE : MemoryStatus.values()[r - 6];
  }

  private static Comparator<Float> cosineComparator() {
    return (a, b) -> Math.abs(a - b) <= COSINE_TOLERANCE ? 0 : Float.compare(a, b);
  }
}
