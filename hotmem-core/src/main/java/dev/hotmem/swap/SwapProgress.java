package dev.hotmem.swap;

/**
 * Receives progress of a long operation (loading or writing a swap file, reindexing a store), for a
 * progress bar. Called from the thread doing the work, at most a few times per second's worth of
 * work; must be quick and must not throw.
 */
@FunctionalInterface
public interface SwapProgress {
  /** Reports nothing. */
  SwapProgress NONE = (done, total) -> {};

  /**
   * @param done work done so far: bytes of the file read (hydrate), memories written (snapshot) or
   *     memories converted (reindex)
   * @param total the same unit for the whole operation, or -1 when unknown
   */
  void update(long done, long total);
}
