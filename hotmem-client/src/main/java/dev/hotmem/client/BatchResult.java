package dev.hotmem.client;

import java.util.List;

/**
 * The answer of {@code POST /v1/add/batch}.
 *
 * @param memoryIds the id stored for each input, in input order (a duplicate's id is the one stored
 *     earlier); unmodifiable, never null
 * @param duplicate for each input, in input order, whether it was already stored; unmodifiable,
 *     never null
 * @param count how many inputs there were
 * @param added how many new memories were stored
 * @param duplicates how many inputs were already stored
 * @param traceMs the server's time for the request, in milliseconds
 */
public record BatchResult(
    List<String> memoryIds,
    List<Boolean> duplicate,
    int count,
    int added,
    int duplicates,
    double traceMs) {
  public BatchResult {
    memoryIds = Wire.copyOf(memoryIds);
    duplicate = Wire.copyOf(duplicate);
  }
}
