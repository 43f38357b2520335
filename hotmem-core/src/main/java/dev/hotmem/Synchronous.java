package dev.hotmem;

/**
 * SQLite's {@code PRAGMA synchronous} setting: how hard a commit pushes data to disk. With the
 * write-ahead log HotMem uses, {@link #NORMAL} never corrupts the store; a power loss may lose the
 * last commits. {@link #FULL} makes every commit durable at the cost of an fsync each.
 */
public enum Synchronous {
  OFF,
  NORMAL,
  FULL,
  EXTRA
}
