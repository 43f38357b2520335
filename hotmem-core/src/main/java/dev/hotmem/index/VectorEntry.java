package dev.hotmem.index;

import dev.hotmem.MemoryStatus;
import java.util.Objects;

/**
 * One vector in a {@link VectorIndex}, with the attributes the index can filter on.
 *
 * @param key the memory's row key (stable for the life of the memory, never reused)
 * @param vector the L2-normalised embedding; the index may keep this array, so callers must not
 *     modify it afterwards
 * @param namespace the memory's namespace
 * @param identifier the memory's identifier
 * @param status the memory's status
 */
public record VectorEntry(
    long key, float[] vector, String namespace, String identifier, MemoryStatus status) {
  public VectorEntry {
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(status, "status");
  }
}
