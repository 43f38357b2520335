package dev.hotmem.client;

/**
 * The answer of {@code GET /v1/health}.
 *
 * @param status {@code ok} when the server is serving
 * @param memoryCount active memories in the store (all namespaces)
 * @param dbPath the database file the server serves, or null for an in-memory store
 * @param uptimeS seconds since the server started
 * @param version the server's version, or null when it does not say
 */
public record Health(
    String status, long memoryCount, String dbPath, double uptimeS, String version) {

  /** True when the server reports {@code "status": "ok"}. */
  public boolean ok() {
    return "ok".equals(status);
  }
}
