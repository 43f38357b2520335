package dev.hotmem.internal.engine;

/**
 * How often recent recalls needed their vector search: the share, weighted towards the latest, of
 * recalls whose keyword candidates could not decide the top k alone (see {@code keywordsDecide} in
 * {@link Recall}). Starting a graph search early is speculation, and it pays only when the search
 * is needed; this is the evidence for it.
 *
 * <p>Implementation notes. An exponentially weighted mean with weight {@value #WEIGHT_OF_LATEST}
 * for the latest recall, so about the last 16 recalls count; it starts at 1 (needed), which keeps
 * the early start until recalls show otherwise. Natural-language questions over model embeddings
 * needed the search in every recall measured (100k LoCoMo-like memories, bge-small); the hash
 * embedder's benchmark queries in 3-5%, where early searches were 2.4 ms of wasted CPU in nine
 * recalls out of ten. Thread-safe; a short lock per recall.
 */
final class VectorNeed {
  static final double WEIGHT_OF_LATEST = 1.0 / 16;

  private volatile double rate = 1.0;

  /** Records whether a recall needed its vector search. */
  void record(boolean needed) {
    synchronized (this) {
      rate += WEIGHT_OF_LATEST * ((needed ? 1.0 : 0.0) - rate);
    }
  }

  /** The weighted share of recent recalls that needed their vector search, 0 to 1. */
  double rate() {
    return rate;
  }
}
