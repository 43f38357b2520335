/**
 * Mounts: a directory that holds a store and travels as one unit — {@code hotmem.sqlite} (the
 * truth), {@code swap.jsonl} (a portable backup, refreshed on close) and {@code manifest.json}
 * (what the store is). Copy the directory anywhere and open it there. The formats are documented in
 * {@code docs/MOUNTS.md}.
 */
package dev.hotmem.mount;
