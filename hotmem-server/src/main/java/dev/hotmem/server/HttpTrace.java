package dev.hotmem.server;

import dev.hotmem.HotMem;

/**
 * The one place the server writes its per-request trace line, so the engine's tracing API is used
 * from exactly here.
 */
final class HttpTrace {
  private HttpTrace() {}

  static void request(
      HotMem hotMem,
      String method,
      String route,
      int status,
      String traceId,
      long requestBytes,
      double ms) {
    // Wired to hotMem.trace("http", method + " " + route) once TraceSpan lands in hotmem-core.
  }
}
