package dev.hotmem;

/**
 * One traced operation of a face built on the engine (an HTTP request, a CLI command), written as
 * one structured JSON line in the engine's trace format when {@link #end()} is called. Obtained
 * from {@link HotMem#trace(String, String)}; with {@link Tracing#OFF} every method does nothing.
 *
 * <p>Not thread-safe: a span belongs to the thread that runs its operation. Only the first {@link
 * #end()} writes; later calls change nothing.
 */
public interface TraceSpan {
  /**
   * Adds a string field ({@code null} is written as JSON null). Putting a key again replaces its
   * value and keeps its position.
   *
   * @throws IllegalArgumentException if {@code key} is one of the reserved {@code ts component op
   *     ms error}
   */
  TraceSpan put(String key, String value);

  /** Adds a number field; see {@link #put(String, String)}. */
  TraceSpan put(String key, long value);

  /**
   * Adds a number field (NaN and infinities are written as null); see {@link #put(String, String)}.
   */
  TraceSpan put(String key, double value);

  /** Adds a boolean field; see {@link #put(String, String)}. */
  TraceSpan put(String key, boolean value);

  /** Marks the operation failed with {@code code} (written last, as {@code "error"}). */
  TraceSpan error(ErrorCode code);

  /** Writes the line with the time since the span started, once. */
  void end();
}
