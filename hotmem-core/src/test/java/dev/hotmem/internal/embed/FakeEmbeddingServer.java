package dev.hotmem.internal.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hotmem.embed.HashEmbedder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI embeddings protocol: by default it answers
 * {@code POST /v1/embeddings} with the {@link HashEmbedder} vectors of the inputs (so answers are
 * checkable), listing {@code data} in reverse order to prove the client orders by {@code index}.
 * Queued {@link Answer}s replace the default, one request each, for failures and hostile answers.
 */
final class FakeEmbeddingServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One scripted answer. {@code body} receives the request's inputs. */
  record Answer(
      int status,
      Map<String, String> headers,
      Function<List<String>, byte[]> body,
      long delayMillis,
      boolean delayInBody) {
    static Answer of(int status, String body) {
      return new Answer(status, Map.of(), in -> body.getBytes(StandardCharsets.UTF_8), 0, false);
    }

    static Answer of(int status, Function<List<String>, byte[]> body) {
      return new Answer(status, Map.of(), body, 0, false);
    }

    Answer withHeader(String name, String value) {
      return new Answer(status, Map.of(name, value), body, delayMillis, delayInBody);
    }

    /** Waits before the headers. */
    Answer delayed(long millis) {
      return new Answer(status, headers, body, millis, false);
    }

    /** Sends the headers and the first byte at once, the rest after a wait. */
    Answer stalledBody(long millis) {
      return new Answer(status, headers, body, millis, true);
    }
  }

  /** A request as received. */
  record Received(String path, String authorization, JsonNode body) {
    List<String> inputs() {
      List<String> out = new ArrayList<>();
      body.get("input").forEach(n -> out.add(n.asText()));
      return out;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final HashEmbedder vectors;

  FakeEmbeddingServer(int dimension) throws IOException {
    this.vectors = new HashEmbedder(dimension);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL to configure, {@code http://127.0.0.1:PORT/v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  void then(Answer answer) {
    script.add(answer);
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The vector the server gives a text by default. */
  float[] expected(String text) {
    return vectors.embed(text);
  }

  /** A correct answer for these inputs, {@code data} in reverse order. */
  byte[] correct(List<String> inputs) {
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = inputs.size() - 1; i >= 0; i--) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      ArrayNode e = item.putArray("embedding");
      for (float x : vectors.embed(inputs.get(i))) {
        e.add(x);
      }
    }
    root.put("model", "fake");
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      Received r =
          new Received(
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              body);
      received.add(r);
      Answer a = script.poll();
      if (a == null) {
        a = Answer.of(200, this::correct);
      }
      if (!exchange.getRequestMethod().equals("POST") || !r.path().equals("/v1/embeddings")) {
        a = Answer.of(404, "{\"error\":{\"message\":\"no route " + r.path() + "\"}}");
      }
      if (!a.delayInBody() && !pause(a.delayMillis())) {
        return;
      }
      byte[] out = a.body().apply(r.inputs());
      a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        if (a.delayInBody() && out.length > 1) {
          os.write(out, 0, 1);
          os.flush();
          if (!pause(a.delayMillis())) {
            return;
          }
          os.write(out, 1, out.length - 1);
        } else {
          os.write(out);
        }
      } catch (IOException ignored) {
        // the client hung up (a cut-off body, a timeout): expected in those tests
      }
    }
  }

  /** The server is slow (the client's clock is not faked: its timeout is real). */
  private static boolean pause(long millis) {
    if (millis <= 0) {
      return true;
    }
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
