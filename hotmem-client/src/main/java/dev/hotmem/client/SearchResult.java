package dev.hotmem.client;

import java.util.List;

/**
 * The answer of {@code POST /v1/search}.
 *
 * @param memories the recalled memories, best first; unmodifiable, never null
 * @param count how many were returned
 * @param omitted how many ranked memories were left out by {@code max_chars} / {@code max_tokens}
 * @param traceMs the server's time for the search, in milliseconds
 */
public record SearchResult(List<MemoryMessage> memories, int count, int omitted, double traceMs) {
  public SearchResult {
    memories = Wire.copyOf(memories);
  }
}
