package dev.hotmem.client;

/**
 * The answer of {@code POST /v1/snapshot}.
 *
 * @param exported memories written
 * @param path the file written, as the server names it
 * @param traceMs the server's time for the request, in milliseconds
 */
public record SnapshotResult(long exported, String path, double traceMs) {}
