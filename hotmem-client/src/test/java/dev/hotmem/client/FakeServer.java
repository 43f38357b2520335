package dev.hotmem.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A hand-written stand-in for the HotMem server on the JDK's own HTTP server, bound to 127.0.0.1 on
 * an ephemeral port: answers every request with the scripted answer and records what it received.
 * For the edge cases a real server will not produce on demand (proxy pages, malformed error bodies,
 * stalls).
 */
final class FakeServer implements AutoCloseable {

  /** One received request. */
  record Received(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile int status = 200;
  private volatile String contentType = "application/json";
  private volatile byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
  private volatile String traceId = "trace-1";
  private volatile boolean stall;

  FakeServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answer every following request with this status and JSON body. */
  FakeServer answer(int status, String json) {
    return answer(status, "application/json", json);
  }

  FakeServer answer(int status, String contentType, String body) {
    this.status = status;
    this.contentType = contentType;
    this.body = body.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  FakeServer traceId(String traceId) {
    this.traceId = traceId;
    return this;
  }

  /** Hold every following answer until {@link #close()}. */
  FakeServer stall() {
    this.stall = true;
    return this;
  }

  Received last() {
    Received last = null;
    for (Received r : received) {
      last = r;
    }
    if (last == null) {
      throw new AssertionError("the fake server received no request");
    }
    return last;
  }

  int requestCount() {
    return received.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] requestBody = exchange.getRequestBody().readAllBytes();
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(),
            Map.copyOf(exchange.getRequestHeaders()),
            requestBody));
    if (stall) {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] answer = body;
    if (traceId != null) {
      exchange.getResponseHeaders().add("X-HotMem-Trace-Id", traceId);
    }
    exchange.getResponseHeaders().add("Content-Type", contentType);
    if (status == 204 || answer.length == 0) {
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
