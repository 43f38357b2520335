package dev.hotmem.client;

/**
 * The one unchecked exception the client throws for a failed call. Each subclass tells the caller
 * what it can do about the failure:
 *
 * <table>
 *   <caption>subclasses</caption>
 *   <tr><th>class</th><th>when</th><th>what to do</th></tr>
 *   <tr><td>{@link InvalidRequest}</td><td>400, 413, 415, 422: the request was refused</td>
 *       <td>fix the request ({@link #field()} names the field when one is at fault)</td></tr>
 *   <tr><td>{@link Unauthorized}</td><td>401, 403</td><td>give the server's token</td></tr>
 *   <tr><td>{@link NotFound}</td><td>404</td><td>the memory (or route) does not exist</td></tr>
 *   <tr><td>{@link Conflict}</td><td>409</td><td>the store's state forbids it (e.g. closed)</td></tr>
 *   <tr><td>{@link Busy}</td><td>{@code busy}, 429, 503</td><td>retry later</td></tr>
 *   <tr><td>{@link ServerError}</td><td>other 5xx, or a store/embedder failure</td>
 *       <td>look at the server's log (its {@link #traceId()})</td></tr>
 *   <tr><td>{@link ConnectionFailed}</td><td>no HTTP answer: refused, reset, unknown host</td>
 *       <td>start the server, or fix the URL</td></tr>
 *   <tr><td>{@link Timeout}</td><td>no answer within the configured timeout</td>
 *       <td>retry, or raise the timeout</td></tr>
 *   <tr><td>{@link InvalidResponse}</td><td>a success status with a body that is not HotMem JSON</td>
 *       <td>check that the URL points at a HotMem server</td></tr>
 * </table>
 *
 * <p>{@link #code()} is the server's stable error code ({@code invalid_request}, {@code not_found},
 * ...) when the server sent a HotMem error body; otherwise one of the client's own codes: {@value
 * #HTTP_ERROR} (an error status without a HotMem error body, e.g. a proxy's HTML 502), {@value
 * #CONNECTION_FAILED}, {@value #TIMEOUT}, {@value #INVALID_RESPONSE}, {@value #INTERRUPTED}.
 */
public class HotMemClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error status whose body was not a HotMem error object. */
  public static final String HTTP_ERROR = "http_error";

  /** No HTTP answer at all. */
  public static final String CONNECTION_FAILED = "connection_failed";

  /** No answer within the timeout. */
  public static final String TIMEOUT = "timeout";

  /** A success status with a body the client could not read. */
  public static final String INVALID_RESPONSE = "invalid_response";

  /** The calling thread was interrupted while waiting for the answer. */
  public static final String INTERRUPTED = "interrupted";

  private final String code;
  private final int status;
  private final String field;
  private final String traceId;

  /**
   * @param code the stable error code (never null)
   * @param status the HTTP status, or 0 when there was no HTTP answer
   * @param field the wire name of the offending field, or null
   * @param traceId the server's {@code X-HotMem-Trace-Id} for this request, or null
   * @param message the full message
   * @param cause the underlying failure, or null
   */
  public HotMemClientException(
      String code, int status, String field, String traceId, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.status = status;
    this.field = field;
    this.traceId = traceId;
  }

  /** The server's error code (for example {@code not_found}) or one of the client's own codes. */
  public String code() {
    return code;
  }

  /** The HTTP status of the answer, or 0 when there was none (connection failure, timeout). */
  public int status() {
    return status;
  }

  /** The wire name of the field at fault (for example {@code top_k}), or null. */
  public String field() {
    return field;
  }

  /** The server's trace id for the failed request (its log has the details), or null. */
  public String traceId() {
    return traceId;
  }

  /** The request was refused as malformed: a field is missing, out of range or too large. */
  public static final class InvalidRequest extends HotMemClientException {
    private static final long serialVersionUID = 1L;

    public InvalidRequest(String code, int status, String field, String traceId, String message) {
      super(code, status, field, traceId, message, null);
    }
  }

  /** The server wants a (different) bearer token. */
  public static final class Unauthorized extends HotMemClientException {
    private static final long serialVersionUID = 1L;

    public Unauthorized(String code, int status, String field, String traceId, String message) {
      super(code, status, field, traceId, message, null);
    }
  }

  /** The memory does not exist (or is forgotten, purged or expired), or the route is unknown. */
  public static final class NotFound extends HotMemClientException {
    private static final long serialVersionUID = 1L;

    public NotFound(String code, int status, String field, String traceId, String message) {
      super(code, status, field, traceId, message, null);
    }
  }

  /** The request conflicts with the store's state. */
  public static final class Conflict extends HotMemClientException {
    private static final long serialVersionUID = 1L;

    public Conflict(String code, int status, String field, String traceId, String message) {
      super(code, status, field, traceId, message, null);
    }
  }

  /** The store or the server is busy. Safe to retry. */
  public static final class Busy extends HotMemClientException {
    private static final long serialVersionUID = 1L;

    public Busy(String code, int status, String field, String traceId, String message) {
      super(code, status, field, traceId, message, null);
    }
  }

  /** The server failed (storage, embedder, a 5xx from a proxy); not the caller's fault. */
  public static final class ServerError extends HotMemClientException {
    private static final long serialVersionUID = 1L;

    public ServerError(String code, int status, String field, String traceId, String message) {
      super(code, status, field, traceId, message, null);
    }
  }

  /** The server could not be reached: nothing listens there, the connection broke, bad host. */
  public static final class ConnectionFailed extends HotMemClientException {
    private static final long serialVersionUID = 1L;

    public ConnectionFailed(String message, Throwable cause) {
      super(CONNECTION_FAILED, 0, null, null, message, cause);
    }
  }

  /** No answer arrived within the client's timeout. The request may still have been applied. */
  public static final class Timeout extends HotMemClientException {
    private static final long serialVersionUID = 1L;

    public Timeout(String message, Throwable cause) {
      super(TIMEOUT, 0, null, null, message, cause);
    }
  }

  /** A success status whose body is not the HotMem JSON the client expected. */
  public static final class InvalidResponse extends HotMemClientException {
    private static final long serialVersionUID = 1L;

    public InvalidResponse(int status, String traceId, String message, Throwable cause) {
      super(INVALID_RESPONSE, status, null, traceId, message, cause);
    }
  }
}
