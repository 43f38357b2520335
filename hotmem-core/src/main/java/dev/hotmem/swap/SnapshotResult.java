package dev.hotmem.swap;

import java.nio.file.Path;

/**
 * What a {@link dev.hotmem.HotMem#snapshot} wrote.
 *
 * @param exported memories written, one line each
 * @param path the file written (absolute)
 */
public record SnapshotResult(long exported, Path path) {}
