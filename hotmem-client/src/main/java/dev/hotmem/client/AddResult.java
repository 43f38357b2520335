package dev.hotmem.client;

/**
 * The answer of {@code POST /v1/add}: the stored memory, and whether it was already there.
 *
 * @param memory the stored memory; on a duplicate, the one stored earlier
 * @param duplicate true when an active memory with the same namespace, identifier and content
 *     existed and nothing new was stored (HTTP 200 instead of 201)
 */
public record AddResult(StoredMemory memory, boolean duplicate) {

  /** The id of the stored memory. */
  public String memoryId() {
    return memory.memoryId();
  }
}
