package dev.hotmem.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotmem.HotMem;
import dev.hotmem.facts.FactConfig;
import dev.hotmem.facts.FactMemory;
import java.io.OutputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw JSON-RPC lines over the stdio transport, in process: the protocol as a client without an SDK
 * speaks it, garbage lines that must not stop the server, and the end of input ending the session.
 */
class StdioProtocolTest {
  @TempDir Path dir;

  @Test
  void rawLinesInOrderGarbageToleratedEndOfInputEndsTheSession() throws Exception {
    try (HotMem hotMem = HotMem.open(dir.resolve("t.sqlite"))) {
      PipedSession session =
          new PipedSession(
              HotMemMcp.builder(hotMem)
                  .facts(FactMemory.open(hotMem, FactConfig.defaults()))
                  .version("test")
                  .build());
      PipedOutputStream toServer = session.toServer;
      BlockingQueue<JsonNode> answers = session.answers;
      McpStdioServer server = session.server;
      try {
        send(
            toServer,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
        JsonNode init = answers.poll(30, TimeUnit.SECONDS);
        assertThat(init.get("result").get("serverInfo").get("name").asText()).isEqualTo("hotmem");
        assertThat(init.get("result").get("capabilities").has("prompts")).isTrue();
        send(toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        send(toServer, "this is not json");
        JsonNode parseError = answers.poll(30, TimeUnit.SECONDS);
        assertThat(parseError.get("error").get("code").asInt()).isEqualTo(-32700);
        assertThat(parseError.get("id").isNull()).isTrue();
        send(toServer, "");
        send(toServer, "42");
        assertThat(answers.poll(30, TimeUnit.SECONDS).get("error").get("code").asInt())
            .isEqualTo(-32700);
        // A JSON-RPC batch (not in MCP 2025-06-18): refused, and the session goes on.
        send(
            toServer,
            "[{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\"}]");
        JsonNode batch = answers.poll(30, TimeUnit.SECONDS);
        assertThat(batch.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(batch.get("id").isNull()).isTrue();
        send(toServer, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        JsonNode list = nextWithId(answers, 2);
        assertThat(list.get("result").get("tools")).hasSize(10);
        // Sent back to back: handled in order, so the search sees the write.
        send(
            toServer,
            call(3, "memory_write", "{\"content\":\"V[srv.prod]: api.example.com:3005\"}"));
        send(toServer, call(4, "memory_search", "{\"query\":\"srv.prod\"}"));
        send(toServer, call(5, "memory_search", "{\"query\":7}"));
        JsonNode write = nextWithId(answers, 3);
        assertThat(write.get("result").get("isError").asBoolean()).isFalse();
        JsonNode search = nextWithId(answers, 4);
        assertThat(search.get("result").get("content").get(0).get("text").asText())
            .contains("api.example.com:3005");
        JsonNode bad = nextWithId(answers, 5);
        assertThat(bad.get("result").get("isError").asBoolean()).isTrue();
        assertThat(bad.get("result").get("content").get(0).get("text").asText())
            .isEqualTo("invalid_request: query: must be a string; found a number (7)");

        toServer.close();
        assertThat(server.awaitInputEnd(10_000)).isTrue();
      } finally {
        server.close();
      }
    }
  }

  @Test
  void inputClosedRightAfterTheRequestsStillGetsEveryAnswer() throws Exception {
    try (HotMem hotMem = HotMem.open(dir.resolve("t.sqlite"))) {
      StringBuilder script = new StringBuilder();
      script.append(
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
              + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
              + "\"clientInfo\":{\"name\":\"sh\",\"version\":\"1\"}}}\n");
      script.append("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
      int last = 12;
      for (int id = 2; id <= last; id++) {
        script
            .append(call(id, "memory_write", "{\"content\":\"V[k" + id + "]: value " + id + "\"}"))
            .append('\n');
      }
      // The whole script is there and the input ends at once, as with `printf ... | hotmem mcp`.
      java.io.ByteArrayInputStream in =
          new java.io.ByteArrayInputStream(script.toString().getBytes(StandardCharsets.UTF_8));
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      McpStdioServer server =
          HotMemMcp.builder(hotMem)
              .facts(FactMemory.open(hotMem, FactConfig.defaults()))
              .version("test")
              .build()
              .serveStdio(in, out);
      try {
        assertThat(server.awaitInputEnd(30_000)).isTrue();
      } finally {
        server.close();
      }
      java.util.Set<Integer> answered = new java.util.TreeSet<>();
      for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
        answered.add(McpTool.JSON.readTree(line).get("id").asInt());
      }
      java.util.Set<Integer> expected = new java.util.TreeSet<>();
      for (int id = 1; id <= last; id++) {
        expected.add(id);
      }
      assertThat(answered).isEqualTo(expected);
      assertThat(hotMem.count()).isEqualTo(last - 1);
    }
  }

  @Test
  void requestsAndAnswersAreCountedPerMessage() throws Exception {
    assertThat(StdioGuard.requests(McpTool.JSON.readTree("{\"id\":1,\"method\":\"ping\"}")))
        .isEqualTo(1);
    assertThat(StdioGuard.requests(McpTool.JSON.readTree("{\"method\":\"notifications/x\"}")))
        .isZero();
    byte[] answer =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n".getBytes(StandardCharsets.UTF_8);
    assertThat(StdioGuard.answers(answer, 0, answer.length)).isEqualTo(1);
    byte[] note =
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}\n"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(StdioGuard.answers(note, 0, note.length)).isZero();
    byte[] junk = "not json\n".getBytes(StandardCharsets.UTF_8);
    assertThat(StdioGuard.answers(junk, 0, junk.length)).isZero();
  }

  static String call(int id, String tool, String args) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
        + tool
        + "\",\"arguments\":"
        + args
        + "}}";
  }

  static void send(OutputStream out, String line) throws Exception {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  static JsonNode nextWithId(BlockingQueue<JsonNode> answers, int id) throws InterruptedException {
    while (true) {
      JsonNode n = answers.poll(30, TimeUnit.SECONDS);
      assertThat(n).as("an answer to request %d", id).isNotNull();
      if (n.has("id") && n.get("id").asInt() == id) {
        return n;
      }
    }
  }
}
