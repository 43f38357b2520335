package dev.hotmem.client;

/**
 * The answer of {@code POST /v1/hydrate}.
 *
 * @param loaded memories added to the store
 * @param skippedDupes lines skipped because the memory was already stored
 * @param skippedBad malformed lines skipped (only with {@link HydrateRequest#skipBad()}), else 0
 * @param path the file read, as the server names it (null from servers that do not say)
 * @param traceMs the server's time for the request, in milliseconds
 */
public record HydrateResult(
    long loaded, long skippedDupes, long skippedBad, String path, double traceMs) {}
