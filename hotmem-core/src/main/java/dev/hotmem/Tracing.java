package dev.hotmem;

/**
 * Where the engine's trace lines go: one structured JSON line per operation, such as {@code {"ts":
 * "...", "component": "search", "op": "recall", "ms": 1.42, "candidates": 83, "count": 5}}.
 */
public enum Tracing {
  /** No traces (the library default). */
  OFF,
  /** One JSON line per operation on standard error. */
  STDERR,
  /** One JSON line per operation at INFO on the SLF4J logger {@code dev.hotmem.trace}. */
  SLF4J
}
