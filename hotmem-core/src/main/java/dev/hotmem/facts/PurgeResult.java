package dev.hotmem.facts;

/**
 * What {@link FactMemory#purge} erased.
 *
 * @param purged how many facts were erased for good
 */
public record PurgeResult(int purged) {}
