package dev.hotmem.mount;

import java.time.Instant;

/**
 * The content of a mount's {@code manifest.json}: what the store in the directory is, for tools
 * (and people) that look before they open it. Derived from the database, which stays the truth: it
 * is rewritten on every open and close.
 *
 * @param formatVersion the manifest format, {@value #FORMAT_VERSION} for this HotMem
 * @param storeId the store's id (shared by copies of the store)
 * @param createdAt when the store was created
 * @param updatedAt when the manifest was last written
 * @param schemaVersion the database schema version
 * @param embedderId the embedder the store's vectors come from
 * @param embedderDimension the dimension of its vectors
 * @param embedderSpec the {@code --embedder} spec that recreates that embedder, or null when the
 *     store records none; added after format version 1 was published, so a reader must accept its
 *     absence
 * @param memoryCount active memories when the manifest was written
 */
public record Manifest(
    int formatVersion,
    String storeId,
    Instant createdAt,
    Instant updatedAt,
    int schemaVersion,
    String embedderId,
    int embedderDimension,
    String embedderSpec,
    long memoryCount) {

  /** The manifest format this HotMem writes, and the newest it reads. */
  public static final int FORMAT_VERSION = 1;

  /** The value of the manifest's {@code "format"} field, which marks the file as ours. */
  public static final String FORMAT = "hotmem-mount";
}
