package dev.hotmem;

import java.util.Objects;

/**
 * The one unchecked exception the engine throws. Each subclass tells the caller what it can do
 * about the failure; {@link #errorCode()} is stable across versions and is what the HTTP, CLI and
 * MCP faces map to a status, an exit code or a tool error.
 */
public class HotMemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode errorCode;

  public HotMemException(ErrorCode errorCode, String message) {
    super(message);
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
  }

  public HotMemException(ErrorCode errorCode, String message, Throwable cause) {
    super(message, cause);
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
  }

  /** The stable code of this failure. */
  public ErrorCode errorCode() {
    return errorCode;
  }

  /** The caller sent something invalid; {@link #field()} names the offending field when known. */
  public static final class InvalidRequest extends HotMemException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidRequest(String field, String message) {
      super(ErrorCode.INVALID_REQUEST, field == null ? message : field + ": " + message);
      this.field = field;
    }

    /** The name of the offending field (wire name), or {@code null} when not tied to one field. */
    public String field() {
      return field;
    }
  }

  /** The named memory does not exist (or is forgotten, purged or expired). */
  public static final class NotFound extends HotMemException {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
      super(ErrorCode.NOT_FOUND, message);
    }
  }

  /** The operation conflicts with the store's state, for example the store is closed. */
  public static final class Conflict extends HotMemException {
    private static final long serialVersionUID = 1L;

    public Conflict(String message) {
      super(ErrorCode.CONFLICT, message);
    }
  }

  /** Another writer held the store past the busy timeout. Safe to retry. */
  public static final class Busy extends HotMemException {
    private static final long serialVersionUID = 1L;

    public Busy(String message, Throwable cause) {
      super(ErrorCode.BUSY, message, cause);
    }
  }

  /**
   * The store cannot be opened by this version or configuration: written by a newer schema, owned
   * by another application, or created with a different embedder.
   */
  public static final class IncompatibleStore extends HotMemException {
    private static final long serialVersionUID = 1L;

    public IncompatibleStore(String message) {
      super(ErrorCode.INCOMPATIBLE_STORE, message);
    }
  }

  /** The store file is damaged or not a database. */
  public static final class CorruptStore extends HotMemException {
    private static final long serialVersionUID = 1L;

    public CorruptStore(String message, Throwable cause) {
      super(ErrorCode.CORRUPT_STORE, message, cause);
    }
  }

  /** The embedder failed, or returned vectors of the wrong count, dimension or value. */
  public static final class EmbeddingFailed extends HotMemException {
    private static final long serialVersionUID = 1L;

    public EmbeddingFailed(String message, Throwable cause) {
      super(ErrorCode.EMBEDDING_FAILED, message, cause);
    }
  }

  /** An I/O or database failure that is not the caller's fault. */
  public static final class StorageFailed extends HotMemException {
    private static final long serialVersionUID = 1L;

    public StorageFailed(String message, Throwable cause) {
      super(ErrorCode.STORAGE_FAILED, message, cause);
    }
  }
}
