package dev.hotmem;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param memories the memories of this page, in the requested order
 * @param count {@code memories.size()}
 * @param total how many memories match the filter in all
 * @param offset the offset this page starts at
 * @param limit the page size asked for
 */
public record MemoryPage(List<Memory> memories, int count, long total, long offset, int limit) {
  public MemoryPage {
    memories = List.copyOf(memories);
  }
}
