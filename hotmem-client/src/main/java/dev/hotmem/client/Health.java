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
 * @param vectorIndex what answers the vector half of a search, or null when the server does not say
 *     (older servers)
 */
public record Health(
    String status,
    long memoryCount,
    String dbPath,
    double uptimeS,
    String version,
    Embedder embedder,
    VectorIndex vectorIndex) {

  /**
   * The server's vector index.
   *
   * @param kind {@code exact} or {@code graph}
   * @param entries vectors in the index
   * @param building whether a graph is being built in the background (searches are exact and slower
   *     until it ends)
   * @param searchBeam the graph's search beam at its size; 0 for exact search
   */
  public record VectorIndex(String kind, long entries, boolean building, int searchBeam) {}

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
