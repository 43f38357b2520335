package dev.hotmem.client;

/**
 * The answer of {@code POST /v1/hydrate}.
 *
 * @param loaded memories added to the store
 * @param skippedDupes lines skipped because the memory was already stored
 * @param skippedBad malformed lines skipped (only when the server skips bad lines), 0 otherwise
 * @param traceMs the server's time for the request, in milliseconds
 */
public record HydrateResult(long loaded, long skippedDupes, long skippedBad, double traceMs) {}
