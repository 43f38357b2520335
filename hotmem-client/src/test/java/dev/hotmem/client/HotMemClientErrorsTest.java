package dev.hotmem.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How every kind of failure reaches the caller, against {@link FakeServer} and raw sockets. */
class HotMemClientErrorsTest {
  private FakeServer server;
  private HotMemClient client;

  @BeforeEach
  void start() throws IOException {
    server = new FakeServer();
    client = HotMemClient.create(server.url());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @ParameterizedTest
  @CsvSource({
    "400, invalid_request, InvalidRequest",
    "413, payload_too_large, InvalidRequest",
    "415, unsupported_media_type, InvalidRequest",
    "401, unauthorized, Unauthorized",
    "404, not_found, NotFound",
    "409, conflict, Conflict",
    "503, busy, Busy",
    "500, storage_failed, ServerError",
    "500, corrupt_store, ServerError",
    "500, embedding_failed, ServerError",
    "409, incompatible_store, ServerError",
    "422, some_future_code, InvalidRequest",
    "429, some_future_code, Busy",
    "502, some_future_code, ServerError",
  })
  void serverErrorCodesMapToTypedExceptions(int status, String code, String type) {
    server
        .traceId("01TRACE")
        .answer(
            status, "{\"error\": {\"code\": \"" + code + "\", \"message\": \"it went wrong\"}}");
    HotMemClientException e =
        catchThrowableOfType(HotMemClientException.class, () -> client.search("q"));
    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.field()).isNull();
    assertThat(e.traceId()).isEqualTo("01TRACE");
    assertThat(e.getMessage())
        .startsWith("it went wrong (" + code + ", HTTP " + status + " from POST ")
        .contains(server.url() + "/v1/search")
        .endsWith(", trace 01TRACE)");
  }

  @Test
  void theFieldAtFaultIsReported() {
    server.answer(
        400,
        """
        {"error": {"code": "invalid_request", "message": "top_k: must be between 1 and 100; found 0",
         "field": "top_k", "hint": "new servers may add keys"}}""");
    var e =
        catchThrowableOfType(
            HotMemClientException.InvalidRequest.class,
            () -> client.search(SearchRequest.builder("q").topK(0).build()));
    assertThat(e.field()).isEqualTo("top_k");
    assertThat(e.getMessage()).startsWith("top_k: must be between 1 and 100; found 0");
  }

  @Test
  void anUnknownCodeWithAnUnmappedStatusIsTheBaseException() {
    server.answer(405, "{\"error\": {\"code\": \"method_not_allowed\", \"message\": \"no\"}}");
    HotMemClientException e = catchThrowableOfType(HotMemClientException.class, client::health);
    assertThat(e.getClass()).isEqualTo(HotMemClientException.class);
    assertThat(e.code()).isEqualTo("method_not_allowed");
    assertThat(e.status()).isEqualTo(405);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"error\": \"boom\"}",
        "{\"error\": {\"message\": \"no code\"}}",
        "{\"error\": {\"code\": 5, \"message\": \"numeric code\"}}",
        "{\"error\": {\"code\": \"\", \"message\": \"blank code\"}}",
        "{\"error\": null}",
        "[1, 2, 3]",
        "\"just a string\"",
        "{\"error\": {\"code\": \"not_fo",
        "{}",
      })
  void malformedErrorBodiesFallBackToTheStatus(String body) {
    server.answer(404, body);
    var e = catchThrowableOfType(HotMemClientException.NotFound.class, () -> client.get("01A"));
    assertThat(e.code()).isEqualTo(HotMemClientException.HTTP_ERROR);
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage()).contains("HTTP 404 without a HotMem error body");
  }

  @Test
  void anErrorWithoutAMessageUsesItsCode() {
    server.answer(409, "{\"error\": {\"code\": \"conflict\", \"message\": 7}}");
    var e = catchThrowableOfType(HotMemClientException.Conflict.class, client::health);
    assertThat(e.getMessage()).startsWith("conflict (conflict, HTTP 409");
  }

  @Test
  void aProxysHtml502IsAServerErrorWithASnippetOfThePage() {
    server
        .traceId(null)
        .answer(
            502,
            "text/html",
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body>"
                + "x".repeat(5000)
                + "</html>");
    var e =
        catchThrowableOfType(HotMemClientException.ServerError.class, () -> client.add("a", "b"));
    assertThat(e.code()).isEqualTo(HotMemClientException.HTTP_ERROR);
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.traceId()).isNull();
    assertThat(e.getMessage())
        .contains("HTTP 502 without a HotMem error body: \"<html>  <head><title>502 Bad Gateway")
        .doesNotContain("\r", "\n")
        .hasSizeLessThan(500);
  }

  @Test
  void anEmptyErrorBodyIsNamed() {
    server.answer(500, "text/plain", "");
    var e = catchThrowableOfType(HotMemClientException.ServerError.class, client::health);
    assertThat(e.getMessage()).contains("(empty body)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<html>hello</html>",
        "[]",
        "null",
        "{\"status\": \"ok\", \"memory_count\": \"many\"}",
        "{\"status\": \"ok\"",
      })
  void aSuccessWithAnUnreadableBodyIsAnInvalidResponse(String body) {
    server.answer(200, body);
    var e = catchThrowableOfType(HotMemClientException.InvalidResponse.class, client::health);
    assertThat(e.code()).isEqualTo(HotMemClientException.INVALID_RESPONSE);
    assertThat(e.status()).isEqualTo(200);
    assertThat(e.getMessage()).contains(server.url()).contains("is this a HotMem server?");
  }

  @Test
  void aStalledServerTimesOut() {
    server.stall();
    try (HotMemClient impatient =
        HotMemClient.builder(server.url()).timeout(Duration.ofMillis(300)).build()) {
      long start = System.nanoTime();
      var e =
          catchThrowableOfType(HotMemClientException.Timeout.class, () -> impatient.search("slow"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(e.code()).isEqualTo(HotMemClientException.TIMEOUT);
      assertThat(e.status()).isZero();
      assertThat(e.getMessage())
          .contains("POST " + server.url() + "/v1/search")
          .contains("within 300 ms");
    }
  }

  @Test
  void nothingListeningIsAConnectionFailureNamingTheUrl() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (HotMemClient nowhere = HotMemClient.create("http://127.0.0.1:" + port)) {
      var e = catchThrowableOfType(HotMemClientException.ConnectionFailed.class, nowhere::health);
      assertThat(e.code()).isEqualTo(HotMemClientException.CONNECTION_FAILED);
      assertThat(e.status()).isZero();
      assertThat(e.getMessage())
          .startsWith("cannot connect to the HotMem server at http://127.0.0.1:" + port)
          .contains("GET /v1/health")
          .contains("hotmem serve");
    }
  }

  @Test
  void aConnectionClosedWithoutAnAnswerIsAConnectionFailure() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ExecutorService acceptor = Executors.newSingleThreadExecutor();
      try {
        // The JDK client retries an idempotent request once on a fresh connection: hang up on
        // every connection.
        acceptor.submit(
            () -> {
              while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                  s.getInputStream().read(new byte[1024]);
                }
              }
              return null;
            });
        try (HotMemClient c = HotMemClient.create("http://127.0.0.1:" + socket.getLocalPort())) {
          var e = catchThrowableOfType(HotMemClientException.ConnectionFailed.class, c::health);
          assertThat(e.getMessage())
              .startsWith(
                  "the connection to the HotMem server at http://127.0.0.1:"
                      + socket.getLocalPort()
                      + " failed during GET /v1/health");
        }
      } finally {
        acceptor.shutdownNow();
      }
    }
  }

  @Test
  void aGarbageStatusLineIsAConnectionFailure() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ExecutorService acceptor = Executors.newSingleThreadExecutor();
      try {
        acceptor.submit(
            () -> {
              while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                  s.getInputStream().read(new byte[1024]);
                  OutputStream out = s.getOutputStream();
                  out.write("SSH-2.0-OpenSSH_9.2\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                }
              }
              return null;
            });
        try (HotMemClient c = HotMemClient.create("http://127.0.0.1:" + socket.getLocalPort())) {
          assertThatThrownBy(c::health)
              .isInstanceOf(HotMemClientException.ConnectionFailed.class)
              .hasMessageContaining("127.0.0.1:" + socket.getLocalPort());
        }
      } finally {
        acceptor.shutdownNow();
      }
    }
  }

  @Test
  void anInterruptedCallerGetsAnInterruptedFailureAndKeepsItsFlag() {
    server.answer(200, "{\"status\": \"ok\"}");
    Thread.currentThread().interrupt();
    try {
      HotMemClientException e = catchThrowableOfType(HotMemClientException.class, client::health);
      assertThat(e.code()).isEqualTo(HotMemClientException.INTERRUPTED);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailClearly() {
    server.answer(200, "{\"status\": \"ok\"}");
    client.health();
    client.close();
    client.close();
    assertThat(client.toString()).endsWith(", closed]");
    assertThatThrownBy(client::health)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this HotMemClient for " + server.url() + " is closed; create a new one");
    assertThatThrownBy(() -> client.add("a", "b")).isInstanceOf(IllegalStateException.class);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void oneClientServesManyThreads() throws Exception {
    server.answer(200, "{\"status\": \"ok\", \"memory_count\": 1}");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(pool.submit(() -> client.health().memoryCount()));
      }
      for (Future<Long> call : calls) {
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.requestCount()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://127.0.0.1:8711",
        "127.0.0.1:8711",
        "http://",
        "not a url",
        "http://127.0.0.1:8711/?x=1",
        "http://127.0.0.1:8711/#frag",
        "http://user:pw@127.0.0.1:8711",
      })
  void badUrlsAreRefusedAtBuild(String url) {
    assertThatThrownBy(() -> HotMemClient.create(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("baseUrl")
        .hasMessageContaining(url.strip());
  }

  @Test
  void badTokensAndTimeoutsAreRefusedAtBuild() {
    String url = server.url();
    assertThatThrownBy(() -> HotMemClient.builder(url).token("  ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> HotMemClient.builder(url).token("abc\r\nX-Evil: 1").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+000D at index 3");
    assertThatThrownBy(() -> HotMemClient.builder(url).timeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(
            () -> HotMemClient.builder(url).connectTimeout(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> HotMemClient.builder(url).swapTimeout(null).build())
        .isInstanceOf(NullPointerException.class);
  }
}
