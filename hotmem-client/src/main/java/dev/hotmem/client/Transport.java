package dev.hotmem.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP exchange with the server: builds the request, sends it, and turns every failure into a
 * {@link HotMemClientException} whose message names the method and URL. Thread-safe.
 */
final class Transport {
  static final String TRACE_HEADER = "X-HotMem-Trace-Id";
  private static final String USER_AGENT = "hotmem-client-java";
  private static final int SNIPPET_CHARS = 200;

  private static final Set<String> INVALID_CODES =
      Set.of("invalid_request", "payload_too_large", "unsupported_media_type");
  private static final Set<String> SERVER_CODES =
      Set.of(
          "incompatible_store",
          "corrupt_store",
          "embedding_failed",
          "storage_failed",
          "internal_error");

  /** A successful answer: its status, body and the server's trace id (null if absent). */
  record Answer(int status, byte[] body, String traceId) {}

  private final String baseUrl;
  private final String token;
  private final Duration connectTimeout;
  private final HttpClient http;
  private final AtomicBoolean closed = new AtomicBoolean();

  Transport(String baseUrl, String token, Duration connectTimeout) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.connectTimeout = connectTimeout;
    // HTTP/1.1: the server speaks it, and HTTP/2's cleartext upgrade would only add a round trip.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  String baseUrl() {
    return baseUrl;
  }

  /**
   * Sends one request and returns its 2xx answer.
   *
   * @param path starting with {@code /v1/}, path segments already encoded
   * @param query query parameters (unencoded), or an empty map
   * @param body the JSON body, or null for none
   * @throws HotMemClientException for an error status or no answer
   * @throws IllegalStateException when the client is closed
   */
  Answer send(
      String method, String path, Map<String, String> query, byte[] body, Duration timeout) {
    if (closed.get()) {
      throw new IllegalStateException(
          "this HotMemClient for " + baseUrl + " is closed; create a new one");
    }
    String url = baseUrl + path + queryString(query);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("User-Agent", USER_AGENT);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json; charset=utf-8");
      request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      throw new HotMemClientException.ConnectionFailed(
          "cannot connect to the HotMem server at "
              + baseUrl
              + " ("
              + method
              + " "
              + path
              + "): no connection within "
              + millis(connectTimeout),
          e);
    } catch (HttpTimeoutException e) {
      throw new HotMemClientException.Timeout(
          "no answer from the HotMem server to "
              + method
              + " "
              + url
              + " within "
              + millis(timeout)
              + " (the request may still have been applied)",
          e);
    } catch (ConnectException e) {
      throw new HotMemClientException.ConnectionFailed(
          "cannot connect to the HotMem server at "
              + baseUrl
              + " ("
              + method
              + " "
              + path
              + "): "
              + describe(e)
              + "; is it running? Start it with `hotmem serve`",
          e);
    } catch (IOException e) {
      throw new HotMemClientException.ConnectionFailed(
          "the connection to the HotMem server at "
              + baseUrl
              + " failed during "
              + method
              + " "
              + path
              + ": "
              + describe(e),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HotMemClientException(
          HotMemClientException.INTERRUPTED,
          0,
          null,
          null,
          "interrupted while waiting for " + method + " " + url,
          e);
    }
    String traceId = response.headers().firstValue(TRACE_HEADER).orElse(null);
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw error(status, response.body(), traceId, method + " " + url);
    }
    return new Answer(status, response.body(), traceId);
  }

  /** Closes the client: idempotent; later calls fail with {@link IllegalStateException}. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // HttpClient is AutoCloseable from JDK 21 on (its close waits for in-flight requests); on 17
    // its threads are daemons and its resources go with the last reference.
    Object client = http;
    if (client instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("HttpClient.close() threw a checked exception", e);
      }
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  /** The exception for an error status: typed by the server's code, else by the status. */
  static HotMemClientException error(int status, byte[] body, String traceId, String request) {
    String code = null;
    String message = null;
    String field = null;
    JsonNode error = parseErrorObject(body);
    if (error != null) {
      code = error.get("code").asText();
      JsonNode messageNode = error.get("message");
      message = messageNode != null && messageNode.isTextual() ? messageNode.asText() : null;
      JsonNode fieldNode = error.get("field");
      field = fieldNode != null && fieldNode.isTextual() ? fieldNode.asText() : null;
    }
    if (code == null) {
      code = HotMemClientException.HTTP_ERROR;
      message = "HTTP " + status + " without a HotMem error body: " + snippet(body);
    } else if (message == null || message.isBlank()) {
      message = code;
    }
    String full =
        message
            + " ("
            + code
            + ", HTTP "
            + status
            + " from "
            + request
            + (traceId == null ? "" : ", trace " + traceId)
            + ")";
    if (INVALID_CODES.contains(code)) {
      return new HotMemClientException.InvalidRequest(code, status, field, traceId, full);
    }
    if (SERVER_CODES.contains(code)) {
      return new HotMemClientException.ServerError(code, status, field, traceId, full);
    }
    switch (code) {
      case "unauthorized":
      case "forbidden":
        return new HotMemClientException.Unauthorized(code, status, field, traceId, full);
      case "not_found":
        return new HotMemClientException.NotFound(code, status, field, traceId, full);
      case "conflict":
        return new HotMemClientException.Conflict(code, status, field, traceId, full);
      case "busy":
        return new HotMemClientException.Busy(code, status, field, traceId, full);
      default:
        break;
    }
    switch (status) {
      case 400:
      case 413:
      case 415:
      case 422:
        return new HotMemClientException.InvalidRequest(code, status, field, traceId, full);
      case 401:
      case 403:
        return new HotMemClientException.Unauthorized(code, status, field, traceId, full);
      case 404:
        return new HotMemClientException.NotFound(code, status, field, traceId, full);
      case 409:
        return new HotMemClientException.Conflict(code, status, field, traceId, full);
      case 429:
      case 503:
        return new HotMemClientException.Busy(code, status, field, traceId, full);
      default:
        if (status >= 500) {
          return new HotMemClientException.ServerError(code, status, field, traceId, full);
        }
        return new HotMemClientException(code, status, field, traceId, full, null);
    }
  }

  /** {@code body.error} when the body is {@code {"error": {"code": "<text>", ...}}}, else null. */
  private static JsonNode parseErrorObject(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    JsonNode root;
    try {
      root = Wire.MAPPER.readTree(body);
    } catch (IOException e) {
      return null; // not JSON: a proxy's HTML page, say; reported with a snippet of the body
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode error = root.get("error");
    if (error == null || !error.isObject()) {
      return null;
    }
    JsonNode code = error.get("code");
    if (code == null || !code.isTextual() || code.asText().isBlank()) {
      return null;
    }
    return error;
  }

  /** The start of a body for a message: control characters replaced, at most 200 chars. */
  static String snippet(byte[] body) {
    if (body == null || body.length == 0) {
      return "(empty body)";
    }
    String text = new String(body, StandardCharsets.UTF_8);
    boolean cut = text.length() > SNIPPET_CHARS;
    if (cut) {
      text = text.substring(0, SNIPPET_CHARS);
    }
    StringBuilder out = new StringBuilder(text.length() + 2);
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    out.append('"');
    if (cut) {
      out.append("…");
    }
    return out.toString();
  }

  private static String queryString(Map<String, String> query) {
    if (query.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : query.entrySet()) {
      out.append(out.length() == 0 ? '?' : '&')
          .append(encode(e.getKey()))
          .append('=')
          .append(encode(e.getValue()));
    }
    return out.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    if (e instanceof ConnectException && (message == null || message.isBlank())) {
      return "connection refused";
    }
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static String millis(Duration duration) {
    return duration.toMillis() + " ms";
  }
}
