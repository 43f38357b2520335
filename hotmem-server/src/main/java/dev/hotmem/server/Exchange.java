package dev.hotmem.server;

import jakarta.servlet.http.HttpServletRequest;

/** Per-request state the gate stores on the request for the handlers and the trace line. */
final class Exchange {
  static final String TRACE_HEADER = "X-HotMem-Trace-Id";
  static final String START_NANOS = "dev.hotmem.server.start";
  static final String TRACE_ID = "dev.hotmem.server.traceId";
  static final String ERROR = "dev.hotmem.server.error";

  private Exchange() {}

  /** Milliseconds since the gate let the request in, rounded to microseconds. */
  static double elapsedMs(HttpServletRequest req) {
    Object start = req.getAttribute(START_NANOS);
    if (!(start instanceof Long)) {
      return 0.0;
    }
    long micros = (System.nanoTime() - (Long) start) / 1_000;
    return micros / 1_000.0;
  }

  static String traceId(HttpServletRequest req) {
    Object id = req.getAttribute(TRACE_ID);
    return id == null ? "" : id.toString();
  }
}
