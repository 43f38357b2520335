package dev.hotmem.embed;

import java.util.List;

/**
 * Turns text into vectors. The engine stores the {@link #id()} and {@link #dimension()} of the
 * embedder a store was created with and refuses to open it with a different one, because vectors of
 * two models are not comparable.
 *
 * <p>Implementations must be thread-safe: the engine may call {@link #embed} from several threads
 * at once. They should be deterministic for a given id (the same text gives the same vector), so
 * that a store stays consistent across restarts.
 */
public interface Embedder {

  /**
   * A stable identifier of the model and its settings, for example {@code hash-v1-64}. Two
   * embedders with the same id must produce comparable vectors.
   */
  String id();

  /**
   * The spec that recreates this embedder through {@link Embedders#create(String, java.util.Map)},
   * for example {@code hash}, {@code hash:256} or {@code local:bge-small-en-v1.5}, without settings
   * such as URLs or keys. A store records it next to {@link #id()} so that a store opens with its
   * own embedder without flags, and so that an error about a mismatched store can name the {@code
   * --embedder} value to give.
   *
   * @return the spec, or null (the default) when the embedder cannot be recreated from a spec, as
   *     for an embedder an application builds itself
   */
  default String spec() {
    return null;
  }

  /** The length of every vector {@link #embed} returns; positive. */
  int dimension();

  /**
   * Embeds a batch of texts.
   *
   * @param texts the texts, none null; may be empty
   * @return one vector per text, in order, each of length {@link #dimension()} with finite values.
   *     The engine L2-normalises what it gets, so implementations need not.
   * @throws RuntimeException if the model fails; the engine reports it as {@code embedding_failed}
   */
  List<float[]> embed(List<String> texts);

  /**
   * Loads now what the first {@link #embed} would load (a model's weights, a native library), so
   * that the first real call answers at its usual speed. Servers call it on a background thread as
   * they start, while they wait for their first request. The default does nothing; an embedder that
   * calls a remote or paid service must not call it from here.
   *
   * @throws RuntimeException if loading fails; the first {@link #embed} then reports it too
   */
  default void warmUp() {}

  /** Embeds one text; by default a batch of one. */
  default float[] embed(String text) {
    return embed(List.of(text)).get(0);
  }
}
