package dev.hotmem.server;

import dev.hotmem.HotMemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps whatever a handler threw to the HTTP answer. Engine failures keep their stable code; the
 * ones that are not the caller's fault (corrupt store, storage failure, anything unexpected) get a
 * generic message that names the trace id, and their cause goes to the log, never to the body.
 */
final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(HotMemServer.class);

  private Errors() {}

  static ApiError map(Throwable failure, String traceId) {
    if (failure instanceof ApiError) {
      return (ApiError) failure;
    }
    if (failure instanceof HotMemException.InvalidRequest) {
      HotMemException.InvalidRequest invalid = (HotMemException.InvalidRequest) failure;
      return new ApiError(
          400, "invalid_request", invalid.field(), invalid.getMessage(), invalid.errorCode());
    }
    if (failure instanceof HotMemException) {
      HotMemException e = (HotMemException) failure;
      String code = e.errorCode().code();
      switch (e.errorCode()) {
        case NOT_FOUND:
          return new ApiError(404, code, null, e.getMessage(), e.errorCode());
        case CONFLICT:
        case INCOMPATIBLE_STORE:
          return new ApiError(409, code, null, e.getMessage(), e.errorCode());
        case BUSY:
          return new ApiError(503, code, null, e.getMessage(), e.errorCode());
        case EMBEDDING_FAILED:
          LOG.warn("trace {}: embedding failed", traceId, e);
          return new ApiError(502, code, null, e.getMessage(), e.errorCode());
        default:
          LOG.error("trace {}: {}", traceId, code, e);
          return new ApiError(
              500,
              code,
              null,
              "the store failed; the server log has the cause (trace " + traceId + ")");
      }
    }
    LOG.error("trace {}: unexpected failure", traceId, failure);
    return new ApiError(
        500,
        "internal_error",
        null,
        "unexpected server failure; the server log has the cause (trace " + traceId + ")");
  }
}
