package dev.hotmem;

/**
 * The outcome of storing one memory.
 *
 * @param memory the stored memory, or the existing one when this was a duplicate
 * @param duplicate true when an active memory with the same identifier and content already existed
 *     in the namespace, and nothing new was stored
 */
public record Remembered(Memory memory, boolean duplicate) {}
