package dev.hotmem;

/**
 * What a {@link HotMem#reindex} did.
 *
 * @param total memories the store holds in every status, all of them now embedded by the new
 *     embedder
 * @param reembedded memories this run embedded
 * @param resumed memories whose new vectors an interrupted earlier run with the same target had
 *     computed already, kept instead of embedded again
 * @param previousEmbedderId the embedder the store had before
 * @param embedderId the embedder the store has now
 * @param embedderSpec the spec the store records now, or null if the target has none
 */
public record ReindexResult(
    long total,
    long reembedded,
    long resumed,
    String previousEmbedderId,
    String embedderId,
    String embedderSpec) {

  /** False when the store already had the target embedder, and nothing was done. */
  public boolean changed() {
    return !previousEmbedderId.equals(embedderId);
  }
}
