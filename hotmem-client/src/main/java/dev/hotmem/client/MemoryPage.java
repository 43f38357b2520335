package dev.hotmem.client;

import java.util.List;

/**
 * The answer of {@code GET /v1/memories}: one page of memories in creation order.
 *
 * @param memories this page; unmodifiable, never null
 * @param count how many are on this page
 * @param total how many memories match the filter in all
 * @param offset how many matching memories were skipped
 * @param limit the page size asked for
 * @param traceMs the server's time for the request, in milliseconds
 */
public record MemoryPage(
    List<StoredMemory> memories, int count, long total, long offset, int limit, double traceMs) {
  public MemoryPage {
    memories = Wire.copyOf(memories);
  }

  /** True when more matching memories follow this page. */
  public boolean hasMore() {
    return offset + memories.size() < total;
  }
}
