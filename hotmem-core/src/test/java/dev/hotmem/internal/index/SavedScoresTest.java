package dev.hotmem.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.jbellis.jvector.disk.ByteBufferReader;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** A saved JVector graph loads with the scores saved for its edges, which are the computed ones. */
class SavedScoresTest {
  private static final int DIMENSION = 16;

  @Test
  @SuppressWarnings("deprecation") // OnHeapGraphIndex.save, GraphIndexBuilder.load: see AnnSideFile
  void aLoadTakesEachEdgesSavedScoreAndItIsTheComputedOne() throws IOException {
    ListRandomAccessVectorValues vectors = randomVectors(1500, 3);
    BuildScoreProvider computed =
        BuildScoreProvider.randomAccessScoreProvider(vectors, VectorSimilarityFunction.DOT_PRODUCT);
    GraphIndexBuilder built = builder(computed);
    for (int i = 0; i < vectors.size(); i++) {
      built.addGraphNode(i, vectors.getVector(i));
    }
    OnHeapGraphIndex graph = (OnHeapGraphIndex) built.getGraph();
    graph.setAllMutationsCompleted();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    graph.save(new DataOutputStream(out));
    ByteBuffer bytes = ByteBuffer.wrap(out.toByteArray());

    SavedScores saved = new SavedScores(computed);
    Checking checking = new Checking(saved, computed);
    GraphIndexBuilder loaded = builder(checking);
    ByteBufferReader reader = new ByteBufferReader(bytes);
    saved.loading(reader, bytes);
    loaded.load(reader);
    saved.loaded();

    assertThat(checking.calls).as("edges scored").isGreaterThan(vectors.size() * 8);
    assertThat(saved.computedDuringLoad()).as("scores the load computed").isZero();
    assertThat(checking.worst).as("largest difference from the computed score").isLessThan(1e-6f);
    assertThat(loaded.getGraph().size(0)).isEqualTo(vectors.size());
    // Loaded, scores are computed again.
    float now = saved.searchProviderFor(1).scoreFunction().similarityTo(2);
    assertThat(now)
        .isCloseTo(computed.searchProviderFor(1).scoreFunction().similarityTo(2), within(0f));
    assertThat(saved.computedDuringLoad()).isZero();
  }

  @Test
  void aScoreTheReaderHasNotJustPassedIsComputed() {
    ListRandomAccessVectorValues vectors = randomVectors(10, 5);
    BuildScoreProvider computed =
        BuildScoreProvider.randomAccessScoreProvider(vectors, VectorSimilarityFunction.DOT_PRODUCT);
    SavedScores saved = new SavedScores(computed);
    ByteBuffer bytes = ByteBuffer.allocate(32).putInt(0, 7).putFloat(4, 0.123f);
    ByteBufferReader reader = new ByteBufferReader(bytes);
    saved.loading(reader, bytes);

    ScoreFunction scores = saved.searchProviderFor(3).scoreFunction();
    assertThat(scores.similarityTo(7)).as("at the start: nothing read yet").isNotEqualTo(0.123f);
    reader.readInt();
    reader.readFloat();
    assertThat(scores.similarityTo(7)).as("neighbour 7 and its score just read").isEqualTo(0.123f);
    float other = scores.similarityTo(8);
    saved.loaded();

    assertThat(other).isEqualTo(computed.searchProviderFor(3).scoreFunction().similarityTo(8));
    assertThat(saved.computedDuringLoad()).isEqualTo(2);
  }

  @SuppressWarnings("deprecation") // the constructor JVectorIndex uses, for the same reason
  private static GraphIndexBuilder builder(BuildScoreProvider scores) {
    return new GraphIndexBuilder(
        scores,
        DIMENSION,
        16,
        100,
        1.2f,
        1.2f,
        true,
        false,
        ForkJoinPool.commonPool(),
        ForkJoinPool.commonPool());
  }

  private static ListRandomAccessVectorValues randomVectors(int n, long seed) {
    Random random = new Random(seed);
    List<VectorFloat<?>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(EntryTable.VTS.createFloatVector(RandomVectors.unit(random, DIMENSION)));
    }
    return new ListRandomAccessVectorValues(out, DIMENSION);
  }

  /** Passes through {@code saved}, comparing each score it gives with the computed one. */
  private static final class Checking implements BuildScoreProvider {
    private final SavedScores saved;
    private final BuildScoreProvider computed;
    int calls;
    float worst;

    Checking(SavedScores saved, BuildScoreProvider computed) {
      this.saved = saved;
      this.computed = computed;
    }

    @Override
    public boolean isExact() {
      return saved.isExact();
    }

    @Override
    public VectorFloat<?> approximateCentroid() {
      return saved.approximateCentroid();
    }

    @Override
    public SearchScoreProvider searchProviderFor(VectorFloat<?> vector) {
      return saved.searchProviderFor(vector);
    }

    @Override
    public SearchScoreProvider diversityProviderFor(int node) {
      return saved.diversityProviderFor(node);
    }

    @Override
    public SearchScoreProvider searchProviderFor(int node) {
      ScoreFunction given = saved.searchProviderFor(node).scoreFunction();
      ScoreFunction truth = computed.searchProviderFor(node).scoreFunction();
      ScoreFunction.ExactScoreFunction checked =
          neighbour -> {
            float score = given.similarityTo(neighbour);
            calls++;
            worst = Math.max(worst, Math.abs(score - truth.similarityTo(neighbour)));
            return score;
          };
      return new SearchScoreProvider() {
        @Override
        public ScoreFunction scoreFunction() {
          return checked;
        }

        @Override
        public ScoreFunction.ExactScoreFunction reranker() {
          return null;
        }

        @Override
        public ScoreFunction.ExactScoreFunction exactScoreFunction() {
          return checked;
        }
      };
    }
  }
}
