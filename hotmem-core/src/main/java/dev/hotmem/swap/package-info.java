/**
 * Swap files: a store's memories as portable JSON Lines ({@code .jsonl}, or gzip-compressed {@code
 * .jsonl.gz}), one memory per line with every field. {@link dev.hotmem.HotMem#snapshot} writes one,
 * {@link dev.hotmem.HotMem#hydrate} loads one. The line format is documented in {@code
 * docs/MOUNTS.md}.
 */
package dev.hotmem.swap;
