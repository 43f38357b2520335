package dev.hotmem.mcp;

import static dev.hotmem.mcp.StdioProtocolTest.call;
import static dev.hotmem.mcp.StdioProtocolTest.nextWithId;
import static dev.hotmem.mcp.StdioProtocolTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotmem.HotMem;
import dev.hotmem.HotMemException;
import dev.hotmem.facts.FactConfig;
import dev.hotmem.facts.FactMemory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session over a store that is still opening ({@link HotMemMcp#builder(java.util.concurrent
 * .CompletionStage)}): the handshake does not wait for it, a tool call does, and a store that
 * failed to open makes every call a tool error that says why.
 */
class OpeningStoreTest {
  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
          + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";

  @TempDir Path dir;

  @Test
  void theHandshakeIsAnsweredBeforeTheStoreOpensAndACallWaitsForIt() throws Exception {
    CompletableFuture<HotMem> opening = new CompletableFuture<>();
    CompletableFuture<FactMemory> facts = new CompletableFuture<>();
    try (PipedSession s = session(opening, facts)) {
      send(s.toServer, INITIALIZE);
      assertThat(nextWithId(s.answers, 1).get("result").get("serverInfo").get("name").asText())
          .isEqualTo("hotmem");
      send(s.toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
      assertThat(nextWithId(s.answers, 2).get("result").get("tools")).hasSize(10);
      send(s.toServer, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/list\"}");
      assertThat(nextWithId(s.answers, 3).get("result").get("prompts")).hasSize(1);

      send(s.toServer, call(4, "memory_write", "{\"content\":\"V[srv.prod]: api.example.com\"}"));
      assertThat(s.answers.poll(300, TimeUnit.MILLISECONDS))
          .as("no answer while the store is opening")
          .isNull();
      try (HotMem hotMem = HotMem.open(dir.resolve("t.sqlite"))) {
        opening.complete(hotMem);
        facts.complete(FactMemory.open(hotMem, FactConfig.defaults()));
        JsonNode write = nextWithId(s.answers, 4);
        assertThat(write.get("result").get("isError").asBoolean()).as("%s", write).isFalse();
        send(s.toServer, call(5, "recall", "{\"query\":\"api.example.com\"}"));
        assertThat(nextWithId(s.answers, 5).get("result").get("isError").asBoolean()).isFalse();
        assertThat(hotMem.count()).isEqualTo(1);
        s.end(); // before the store closes
      }
    }
  }

  @Test
  void aStoreThatFailedToOpenMakesEachCallAToolErrorThatSaysWhy() throws Exception {
    HotMemException.IncompatibleStore why =
        new HotMemException.IncompatibleStore("x.sqlite was written by a newer HotMem");
    try (PipedSession s =
        session(CompletableFuture.failedFuture(why), CompletableFuture.failedFuture(why))) {
      send(s.toServer, INITIALIZE);
      assertThat(nextWithId(s.answers, 1).get("result").has("serverInfo")).isTrue();
      send(s.toServer, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      send(s.toServer, call(2, "memory_status", "{}"));
      send(s.toServer, call(3, "remember", "{\"content\":\"kept\"}"));
      for (int id = 2; id <= 3; id++) {
        JsonNode answer = nextWithId(s.answers, id).get("result");
        assertThat(answer.get("isError").asBoolean()).isTrue();
        assertThat(answer.get("content").get(0).get("text").asText())
            .isEqualTo("incompatible_store: x.sqlite was written by a newer HotMem");
      }
    }
  }

  private static PipedSession session(
      CompletableFuture<HotMem> opening, CompletableFuture<FactMemory> facts) throws IOException {
    return new PipedSession(HotMemMcp.builder(opening).facts(facts).version("test").build());
  }
}
