package dev.hotmem.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotmem.HotMem;
import dev.hotmem.facts.FactConfig;
import dev.hotmem.facts.FactMemory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
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
      PipedOutputStream toServer = new PipedOutputStream();
      PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
      PipedInputStream fromServer = new PipedInputStream(1 << 20);
      PipedOutputStream serverOut = new PipedOutputStream(fromServer);
      BlockingQueue<JsonNode> answers = new ArrayBlockingQueue<>(100);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    answers.add(McpTool.JSON.readTree(line));
                  }
                } catch (Exception ignored) {
                  // The pipe closes when the test ends.
                }
              });
      reader.setDaemon(true);
      reader.start();
      McpStdioServer server =
          HotMemMcp.builder(hotMem)
              .facts(FactMemory.open(hotMem, FactConfig.defaults()))
              .version("test")
              .build()
              .serveStdio(serverIn, serverOut);
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
