package dev.hotmem.server;

import dev.hotmem.ErrorCode;

/**
 * A failure that already knows its HTTP answer: status, wire code, message and (when one field is
 * at fault) the field's wire name. Thrown by the request-reading code and turned into {@code
 * {"error": {...}}} by {@link Responses#error}.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;
  private final ErrorCode engineCode;

  ApiError(int status, String code, String field, String message) {
    this(status, code, field, message, null);
  }

  ApiError(int status, String code, String field, String message, ErrorCode engineCode) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.engineCode = engineCode;
  }

  static ApiError invalid(String field, String message) {
    return new ApiError(
        400, "invalid_request", field, field == null ? message : field + ": " + message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  /** The engine's code when the failure came from the engine, else null (for the trace line). */
  ErrorCode engineCode() {
    return engineCode;
  }

  /** The wire name of the offending field, or null. */
  String field() {
    return field;
  }
}
