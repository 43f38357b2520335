package dev.hotmem.internal.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hotmem.HotMemException;
import dev.hotmem.facts.ChatModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat model against a real HTTP server on 127.0.0.1, including hostile answers. */
class OpenAiChatModelTest {
  interface Handler {
    void handle(HttpExchange ex) throws IOException;
  }

  HttpServer server;
  ExecutorService executor = Executors.newCachedThreadPool();
  final ConcurrentLinkedQueue<Handler> script = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<JsonNode> requests = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<String> auth = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext(
        "/v1/chat/completions",
        ex -> {
          requests.add(Json.MAPPER.readTree(ex.getRequestBody()));
          auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          try {
            script.remove().handle(ex);
          } finally {
            ex.close();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  ChatModel model(Duration timeout) {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/");
    return ChatModel.openAiCompatible(base, "tiny", "sk-test", timeout);
  }

  static Handler answer(int status, String body) {
    return ex -> {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    };
  }

  @Test
  void sendsTheMessagesAndReadsTheAnswer() {
    script.add(
        answer(
            200, "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"V[a]: 1\"}}]}"));
    assertThat(model(Duration.ofSeconds(5)).complete("sys", "user text")).isEqualTo("V[a]: 1");
    JsonNode req = requests.remove();
    assertThat(req.get("model").asText()).isEqualTo("tiny");
    assertThat(req.get("messages").get(0).get("role").asText()).isEqualTo("system");
    assertThat(req.get("messages").get(0).get("content").asText()).isEqualTo("sys");
    assertThat(req.get("messages").get(1).get("content").asText()).isEqualTo("user text");
    assertThat(auth.remove()).isEqualTo("Bearer sk-test");
  }

  @Test
  void hostileAnswersAreClearFailures() {
    String[][] cases = {
      {"500", "{\"error\":{\"message\":\"boom\"}}", "HTTP 500"},
      {"401", "bad key", "HTTP 401"},
      {"200", "not json at all", "not JSON"},
      {"200", "{\"choices\":[]}", "choices[0].message.content"},
      {"200", "{\"choices\":[{\"message\":{\"content\":42}}]}", "choices[0].message.content"},
      {"200", "[1,2,3]", "choices[0].message.content"},
      {"200", "", "choices[0].message.content"},
    };
    ChatModel m = model(Duration.ofSeconds(5));
    for (String[] c : cases) {
      script.add(answer(Integer.parseInt(c[0]), c[1]));
      assertThatThrownBy(() -> m.complete("s", "u"))
          .as(c[1])
          .isInstanceOf(ChatModel.Failed.class)
          .isInstanceOf(HotMemException.class)
          .hasMessageContaining(c[2])
          .hasMessageContaining("/v1/chat/completions");
    }
  }

  @Test
  void aHugeBodyIsCutOff() {
    script.add(
        ex -> {
          ex.sendResponseHeaders(200, 0);
          byte[] chunk = new byte[64 * 1024];
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 64; i++) {
              out.write(chunk);
            }
          } catch (IOException expected) {
            // the client hung up, as it should
          }
        });
    assertThatThrownBy(() -> model(Duration.ofSeconds(10)).complete("s", "u"))
        .isInstanceOf(ChatModel.Failed.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void aStalledBodyTimesOut() {
    script.add(
        ex -> {
          ex.sendResponseHeaders(200, 100);
          ex.getResponseBody().write('{');
          ex.getResponseBody().flush();
          try {
            Thread.sleep(3_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    long start = System.nanoTime();
    assertThatThrownBy(() -> model(Duration.ofMillis(300)).complete("s", "u"))
        .isInstanceOf(ChatModel.Failed.class)
        .hasMessageContaining("within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void anUnreachableServerAndBadSettingsFail() {
    ChatModel m =
        ChatModel.openAiCompatible(
            URI.create("http://127.0.0.1:1/v1"), "x", null, Duration.ofSeconds(2));
    assertThatThrownBy(() -> m.complete("s", "u")).isInstanceOf(ChatModel.Failed.class);
    assertThatThrownBy(
            () ->
                ChatModel.openAiCompatible(
                    URI.create("ftp://x/v1"), "x", null, Duration.ofSeconds(1)))
        .isInstanceOf(HotMemException.InvalidRequest.class);
    assertThatThrownBy(
            () ->
                ChatModel.openAiCompatible(
                    URI.create("http://x/v1"), " ", null, Duration.ofSeconds(1)))
        .isInstanceOf(HotMemException.InvalidRequest.class);
    assertThatThrownBy(
            () -> ChatModel.openAiCompatible(URI.create("http://x/v1"), "m", null, Duration.ZERO))
        .isInstanceOf(HotMemException.InvalidRequest.class);
  }

  @Test
  void consolidationDistrustsTheAnswerLines() {
    assertThat(Consolidation.lines("```\n- V[a]: 1\n* D[b]: 2\n1. C[c]: 3\n\n✓[x]\n~[y]\n```"))
        .containsExactly("V[a]: 1", "D[b]: 2", "C[c]: 3");
    assertThat(Consolidation.lines("x".repeat(Consolidation.MAX_LINE_CHARS + 1))).isEmpty();
    assertThat(Consolidation.lines("a\n".repeat(1000))).hasSize(Consolidation.MAX_LINES);
    assertThat(Consolidation.lines(null)).isEmpty();
  }
}
