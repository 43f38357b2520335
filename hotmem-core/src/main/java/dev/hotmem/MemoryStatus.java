package dev.hotmem;

import dev.hotmem.HotMemException.InvalidRequest;
import java.util.Locale;

/** The lifecycle state of a memory. Only {@link #ACTIVE} memories are recalled by default. */
public enum MemoryStatus {
  /** Current and recallable. */
  ACTIVE,
  /** Replaced by a newer memory ({@code superseded_by} names it); kept for history. */
  SUPERSEDED,
  /** Kept but out of the way; recallable only when asked for explicitly. */
  ARCHIVED,
  /** Soft-deleted: excluded everywhere until purged. Never returned by recall, list or get. */
  FORGOTTEN;

  /** The lower-case wire form, for example {@code active}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the wire form (case-insensitive).
   *
   * @throws InvalidRequest if {@code value} names no status
   */
  public static MemoryStatus parse(String value) {
    if (value != null) {
      for (MemoryStatus s : values()) {
        if (s.name().equalsIgnoreCase(value.trim())) {
          return s;
        }
      }
    }
    throw new InvalidRequest(
        "status", "expected one of active, superseded, archived, forgotten; found " + value);
  }
}
