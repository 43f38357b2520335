package dev.hotmem.internal.index;

import io.github.jbellis.jvector.disk.ByteBufferReader;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A graph builder's similarity scores: computed from the vectors, except while a saved graph loads,
 * when each edge gets the score saved with it.
 *
 * <p>Implementation notes. JVector 4.0.2's {@code GraphIndexBuilder.load} reads every edge as a
 * neighbour id and its saved score, then drops the score and asks the builder's score provider for
 * it again: a dot product with the neighbour's vector, one random read of 1.5 KB from the vector
 * table per edge. At 1,000,000 nodes of degree 32 that is about 32 million reads, and a JFR profile
 * of opening the 1M store put 90% of a 36 s load there. While {@link #loading} is set, the score
 * function of a node answers {@code similarityTo(j)} with the score the reader has just passed when
 * the 8 bytes before the reader's position are {@code j} and a score (the loader's order of calls);
 * otherwise it computes the score, so a loader that reads in another order is slower, never wrong.
 * {@code SavedScoresTest} checks that a load of a saved JVector graph reads every score and that
 * each equals the computed one; {@code AnnSideFileTest} that a side-file's load computes none.
 */
final class SavedScores implements BuildScoreProvider {
  private final BuildScoreProvider computed;
  private volatile Loading loading;
  private final AtomicLong computedDuringLoad = new AtomicLong();

  /** The graph being loaded: the reader the loader reads it with, over {@code bytes}. */
  private record Loading(ByteBufferReader reader, ByteBuffer bytes) {}

  SavedScores(BuildScoreProvider computed) {
    this.computed = computed;
  }

  /**
   * Until {@link #loaded}, scores come from {@code bytes} as {@code reader} (which reads them)
   * passes them.
   */
  void loading(ByteBufferReader reader, ByteBuffer bytes) {
    computedDuringLoad.set(0);
    loading = new Loading(reader, bytes);
  }

  /** Scores are computed again from now on. */
  void loaded() {
    loading = null;
  }

  /** How many scores the last load had to compute (0 when the loader read them in file order). */
  long computedDuringLoad() {
    return computedDuringLoad.get();
  }

  @Override
  public boolean isExact() {
    return computed.isExact();
  }

  @Override
  public VectorFloat<?> approximateCentroid() {
    return computed.approximateCentroid();
  }

  @Override
  public SearchScoreProvider searchProviderFor(VectorFloat<?> vector) {
    return computed.searchProviderFor(vector);
  }

  @Override
  public SearchScoreProvider searchProviderFor(int node) {
    Loading l = loading;
    return l == null ? computed.searchProviderFor(node) : new Saved(node, l);
  }

  @Override
  public SearchScoreProvider diversityProviderFor(int node) {
    return computed.diversityProviderFor(node);
  }

  /** The scores of one node's edges, as the loader reads them. */
  private final class Saved implements SearchScoreProvider, ScoreFunction.ExactScoreFunction {
    private final int node;
    private final Loading loading;
    private ScoreFunction fallback;

    Saved(int node, Loading loading) {
      this.node = node;
      this.loading = loading;
    }

    @Override
    public float similarityTo(int neighbour) {
      long at = loading.reader().getPosition();
      if (at >= 8
          && at <= loading.bytes().limit()
          && loading.bytes().getInt((int) at - 8) == neighbour) {
        return loading.bytes().getFloat((int) at - 4);
      }
      computedDuringLoad.incrementAndGet();
      if (fallback == null) {
        fallback = computed.searchProviderFor(node).scoreFunction();
      }
      return fallback.similarityTo(neighbour);
    }

    @Override
    public ScoreFunction scoreFunction() {
      return this;
    }

    @Override
    public ScoreFunction.ExactScoreFunction reranker() {
      return null;
    }

    @Override
    public ScoreFunction.ExactScoreFunction exactScoreFunction() {
      return this;
    }
  }
}
