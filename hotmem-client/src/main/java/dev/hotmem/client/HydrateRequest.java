package dev.hotmem.client;

/**
 * A hydrate ({@code POST /v1/hydrate}): load a JSONL swap file ({@code .jsonl} or {@code
 * .jsonl.gz}) into the store, skipping memories already stored.
 *
 * @param file a path the server resolves inside its file root (its mount or the database's folder),
 *     or null for its default swap file
 * @param skipBad true to skip and count malformed lines; null or false to stop at the first one
 *     (the server then answers {@code invalid_request} naming the line and loads nothing of the
 *     batch it is in)
 */
public record HydrateRequest(String file, Boolean skipBad) {

  /** Hydrate from {@code file} (null = the server's default), stopping at a malformed line. */
  public static HydrateRequest of(String file) {
    return new HydrateRequest(file, null);
  }

  /** This request, skipping and counting malformed lines instead of stopping. */
  public HydrateRequest skippingBadLines() {
    return new HydrateRequest(file, Boolean.TRUE);
  }
}
