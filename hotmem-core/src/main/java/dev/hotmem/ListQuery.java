package dev.hotmem;

import dev.hotmem.HotMemException.InvalidRequest;

/**
 * A page of memories in creation order.
 *
 * @param filter which memories to list
 * @param limit page size, 1..{@value Limits#MAX_PAGE}; {@value #DEFAULT_LIMIT} by default
 * @param offset how many matching memories to skip, at least 0
 * @param order oldest first ({@link SortOrder#ASC}) or newest first; newest first by default
 */
public record ListQuery(MemoryFilter filter, int limit, long offset, SortOrder order) {
  public static final int DEFAULT_LIMIT = 100;

  public ListQuery {
    filter = filter == null ? MemoryFilter.defaults() : filter;
    if (limit < 1 || limit > Limits.MAX_PAGE) {
      throw new InvalidRequest(
          "limit", "must be between 1 and " + Limits.MAX_PAGE + "; found " + limit);
    }
    if (offset < 0) {
      throw new InvalidRequest("offset", "must not be negative; found " + offset);
    }
    order = order == null ? SortOrder.DESC : order;
  }

  /** The newest {@value #DEFAULT_LIMIT} active memories matching {@code filter}. */
  public static ListQuery of(MemoryFilter filter) {
    return new ListQuery(filter, DEFAULT_LIMIT, 0, SortOrder.DESC);
  }
}
