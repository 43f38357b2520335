package dev.hotmem.swap;

/**
 * What a {@link dev.hotmem.HotMem#hydrate} stored.
 *
 * @param loaded memories stored
 * @param skippedDupes lines not stored because the store already held them: a memory with the same
 *     id, or an active memory with the same identifier and content in the same namespace
 * @param skippedBad malformed lines skipped (only with {@link HydrateOptions#skipBad()})
 */
public record HydrateResult(long loaded, long skippedDupes, long skippedBad) {}
