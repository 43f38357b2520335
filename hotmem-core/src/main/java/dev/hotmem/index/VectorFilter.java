package dev.hotmem.index;

import dev.hotmem.MemoryStatus;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Which entries a {@link VectorIndex#search} may return. An index must never return an entry the
 * filter rejects.
 *
 * @param namespace only entries of this namespace
 * @param identifier only entries with this identifier, or null for any
 * @param statuses only entries in one of these states
 * @param allowedKeys an extra predicate over keys (for filters the index does not know, such as
 *     category or creation time), or null for none
 */
public record VectorFilter(
    String namespace, String identifier, Set<MemoryStatus> statuses, LongPredicate allowedKeys) {
  public VectorFilter {
    Objects.requireNonNull(namespace, "namespace");
    statuses = Set.copyOf(statuses);
    if (statuses.isEmpty()) {
      throw new IllegalArgumentException("statuses must not be empty");
    }
  }
}
