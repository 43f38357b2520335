package dev.hotmem;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What a store is and holds, as {@link HotMem#info()} reads it.
 *
 * @param path the database file
 * @param storeId the store's own id, assigned when it was created (a ULID); copies of the file
 *     share it
 * @param createdAt when the store was created
 * @param schemaVersion the schema version of the file ({@code PRAGMA user_version})
 * @param embedderId the embedder the store's vectors come from
 * @param embedderDimension the dimension of its vectors
 * @param embedderSpec the spec that recreates that embedder ({@code --embedder}), or null when the
 *     store does not record one (an embedder without {@link dev.hotmem.embed.Embedder#spec()})
 * @param memoryCount active, unexpired memories (what recall can return)
 * @param totalCount rows in every status, expired ones not yet purged included
 */
public record StoreInfo(
    Path path,
    String storeId,
    Instant createdAt,
    int schemaVersion,
    String embedderId,
    int embedderDimension,
    String embedderSpec,
    long memoryCount,
    long totalCount) {}
