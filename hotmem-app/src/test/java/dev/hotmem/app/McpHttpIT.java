package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scripted session over Streamable HTTP at {@code /mcp} of a real {@code hotmem serve}, with a
 * token; and the server still stops promptly on SIGTERM after MCP sessions were open.
 */
class McpHttpIT extends McpSessionContract {
  static final String TOKEN = "mcp-it-token";
  private Binary.Child serve;
  private String url;

  static McpSyncClient httpClient(String url, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(url)
            .endpoint("/mcp")
            .requestBuilder(request)
            .jsonMapper(new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper()))
            .build();
    return McpClient.sync(transport)
        .requestTimeout(Duration.ofSeconds(60))
        .initializationTimeout(Duration.ofSeconds(60))
        .build();
  }

  static String awaitServing(Binary.Child child) throws Exception {
    String line = child.awaitLine(l -> l.startsWith("hotmem: serving "), Duration.ofSeconds(60));
    return line.substring(line.lastIndexOf(' ') + 1);
  }

  @Override
  McpSyncClient client() throws Exception {
    if (serve == null) {
      serve =
          Binary.start(
              dir,
              Binary.javaJar(
                  "serve",
                  "--db",
                  dir.resolve("h.sqlite").toString(),
                  "--embedder",
                  "hash",
                  "--port",
                  "0",
                  "--token",
                  TOKEN),
              Map.of());
      url = awaitServing(serve);
    }
    return httpClient(url, TOKEN);
  }

  @AfterEach
  void stopServe() throws Exception {
    if (serve != null) {
      serve.process.destroy();
      Binary.Result r = serve.await(Duration.ofSeconds(30));
      assertThat(r.exit()).as(r.err()).isZero();
      serve.close();
    }
  }

  /** A JSON-RPC {@code initialize} POSTed to /mcp, without a token. */
  private HttpRequest.Builder initialize() {
    String init =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    return HttpRequest.newBuilder(URI.create(url + "/mcp"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(init));
  }

  @Test
  void theTokenRulesApplyToMcp() throws Exception {
    client().close();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest.Builder post = initialize();
    HttpResponse<String> without = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(without.statusCode()).isEqualTo(401);
    HttpResponse<String> wrong =
        http.send(
            post.copy().header("Authorization", "Bearer nope").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> right =
        http.send(
            post.copy().header("Authorization", "Bearer " + TOKEN).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
    assertThat(right.body()).contains("\"hotmem\"");
    // A page of another origin is refused (DNS rebinding); a loopback one is served.
    HttpResponse<String> foreign =
        http.send(
            post.copy()
                .header("Authorization", "Bearer " + TOKEN)
                .header("Origin", "http://evil.example")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.statusCode()).isEqualTo(403);
    // A body that is not JSON-RPC is a 400, and the server goes on serving.
    HttpResponse<String> garbage =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/mcp"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(garbage.statusCode()).as(garbage.body()).isBetween(400, 499);
    try (var client = client()) {
      assertThat(client.initialize().serverInfo().name()).isEqualTo("hotmem");
    }
  }

  /**
   * An MCP session's event stream (GET /mcp) is asynchronous: it holds no request thread, so more
   * open streams than the server has threads (250, HotMemServer.threadPool) leave /v1 answering.
   */
  @Test
  void openEventStreamsHoldNoRequestThreads() throws Exception {
    client().close();
    HttpClient http = HttpClient.newHttpClient();
    URI base = URI.create(url);
    List<java.net.Socket> streams = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        HttpResponse<String> r =
            http.send(
                initialize().header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        String session = r.headers().firstValue("Mcp-Session-Id").orElseThrow();
        java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort());
        streams.add(s);
        s.getOutputStream()
            .write(
                ("GET /mcp HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                        + "Authorization: Bearer "
                        + TOKEN
                        + "\r\nMcp-Session-Id: "
                        + session
                        + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/health"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + TOKEN)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
      try (var client = client()) {
        ok(client, "remember", args("content", "answered beside 300 open event streams"));
      }
    } finally {
      for (java.net.Socket s : streams) {
        s.close();
      }
    }
  }

  @Test
  void sigtermStopsServeAfterMcpSessions() throws Exception {
    McpSyncClient open = client();
    open.initialize();
    ok(open, "remember", args("content", "an open session while the server stops"));
    long start = System.nanoTime();
    serve.process.destroy();
    Binary.Result r = serve.await(Duration.ofSeconds(20));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(r.out()).contains("hotmem: MCP (Streamable HTTP) at " + url + "/mcp");
    serve = null;
    open.close();
  }
}
