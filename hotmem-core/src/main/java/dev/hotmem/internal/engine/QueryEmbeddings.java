package dev.hotmem.internal.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hotmem.embed.Embedder;
import java.util.List;

/**
 * The vectors of recall queries, through a bounded cache keyed by the query text, so a repeated
 * query costs no model call. One engine has one embedder, so the text alone is the key.
 * Thread-safe; concurrent misses on the same text make one model call.
 *
 * <p>Texts longer than {@value #MAX_CACHED_CHARS} characters are embedded but not kept: they rarely
 * repeat, and bounding them keeps the cache's worst case small (at the default 10,000 entries and
 * 384 dimensions, about 55 MB; typical queries of a hundred characters take about 2 MB).
 *
 * <p>The cached arrays are shared between recalls: callers must not modify them (recall only reads
 * the query vector).
 */
final class QueryEmbeddings {
  /** The longest query text kept in the cache, in characters. */
  static final int MAX_CACHED_CHARS = 2048;

  private final Embedder embedder;
  private final Cache<String, float[]> cache;

  /**
   * @param size most entries kept; 0 disables the cache
   */
  QueryEmbeddings(Embedder embedder, int size) {
    this.embedder = embedder;
    // Maintenance (eviction) in the calling thread: it is cheap, and no pool thread is needed.
    this.cache =
        size > 0 ? Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build() : null;
  }

  /**
   * The L2-normalised vector of {@code text}, checked as {@link Embeddings#embed} checks it.
   *
   * @throws dev.hotmem.HotMemException.EmbeddingFailed as {@link Embeddings#embed}; a failure is
   *     not cached
   */
  float[] embed(String text) {
    if (cache == null || text.length() > MAX_CACHED_CHARS) {
      return Embeddings.embed(embedder, List.of(text)).get(0);
    }
    return cache.get(text, t -> Embeddings.embed(embedder, List.of(t)).get(0));
  }
}
