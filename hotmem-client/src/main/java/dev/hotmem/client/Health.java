package dev.hotmem.client;

/**
 * The answer of {@code GET /v1/health}.
 *
 * @param status {@code ok} when the server is serving
 * @param memoryCount active memories in the store (all namespaces)
 * @param dbPath the database file the server serves, or null for an in-memory store
 * @param uptimeS seconds since the server started
 * @param version the server's version, or null when it does not say
 * @param embedder the model the server embeds with, or null when the server does not say (older
 *     servers)
 */
public record Health(
    String status,
    long memoryCount,
    String dbPath,
    double uptimeS,
    String version,
    Embedder embedder) {

  /**
   * The server's embedder.
   *
   * @param id the model's id, for example {@code onnx-bge-small-en-v1.5-q-384}
   * @param spec what recreates it ({@code --embedder} value), or null
   * @param dimension the vectors' length
   */
  public record Embedder(String id, String spec, int dimension) {}

  /** True when the server reports {@code "status": "ok"}. */
  public boolean ok() {
    return "ok".equals(status);
  }
}
