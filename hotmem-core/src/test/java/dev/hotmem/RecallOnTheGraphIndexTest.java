package dev.hotmem;

/**
 * Every recall test again with the vector index on the JVector graph from the first memory ({@code
 * annThreshold} 0), so the engine's filters, scores and skips hold on the ANN path too.
 */
class RecallOnTheGraphIndexTest extends RecallTest {
  @Override
  HotMemConfig.Builder ephemeral() {
    return HotMemConfig.ephemeral().annThreshold(0);
  }
}
