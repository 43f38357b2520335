package dev.hotmem;

/** Order of a listing by creation time. */
public enum SortOrder {
  /** Oldest first. */
  ASC,
  /** Newest first. */
  DESC
}
