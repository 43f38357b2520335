package dev.hotmem;

import java.util.Locale;

/**
 * Stable, machine-readable error codes. The string form ({@link #code()}) is part of the wire
 * contract of every face: the HTTP API puts it in {@code {"error": {"code": ...}}}, the CLI prints
 * it, MCP tool errors carry it. Codes are never renamed or reused.
 */
public enum ErrorCode {
  /** The request is malformed: a field is missing, out of range, of the wrong type or too large. */
  INVALID_REQUEST,
  /** The memory (or other named thing) does not exist, or is no longer visible. */
  NOT_FOUND,
  /** The request conflicts with the current state (for example a closed store). */
  CONFLICT,
  /** The store stayed locked by another writer past the busy timeout; retrying may succeed. */
  BUSY,
  /** The store file cannot be used by this version or configuration (schema, embedder, owner). */
  INCOMPATIBLE_STORE,
  /** The store file is damaged. */
  CORRUPT_STORE,
  /** The embedder failed or returned an unusable vector. */
  EMBEDDING_FAILED,
  /** An I/O or database failure that is not the caller's fault. */
  STORAGE_FAILED;

  /** The lower-case wire form, for example {@code invalid_request}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
