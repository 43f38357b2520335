package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted MCP session every transport must pass, driven by the SDK's own Java client against
 * the real {@code hotmem} binary: initialize, tools/list with schemas, a call of each tool, and bad
 * calls answered as tool errors by a server that keeps serving.
 */
abstract class McpSessionContract {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> MEMORYMESH_TOOLS = List.of("remember", "recall", "forget");
  static final List<String> HERMES_TOOLS =
      List.of(
          "memory_write",
          "memory_search",
          "memory_tick",
          "memory_status",
          "memory_reflect",
          "memory_export",
          "memory_purge");
  static final List<String> ALL_TOOLS =
      java.util.stream.Stream.concat(HERMES_TOOLS.stream(), MEMORYMESH_TOOLS.stream()).toList();

  @TempDir Path dir;

  /** A connected, not yet initialized client over the transport under test. */
  abstract McpSyncClient client() throws Exception;

  static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(CallToolRequest.builder(tool).arguments(args).build());
  }

  static String text(CallToolResult r) {
    return ((TextContent) r.content().get(0)).text();
  }

  /** A successful call's JSON answer. */
  static JsonNode ok(McpSyncClient client, String tool, Map<String, Object> args) {
    CallToolResult r = call(client, tool, args);
    assertThat(r.isError()).as("%s %s -> %s", tool, args, text(r)).isFalse();
    try {
      return JSON.readTree(text(r));
    } catch (Exception e) {
      throw new AssertionError(tool + " answered something that is not JSON: " + text(r), e);
    }
  }

  /** A failed call's message. */
  static String error(McpSyncClient client, String tool, Map<String, Object> args) {
    CallToolResult r = call(client, tool, args);
    assertThat(r.isError()).as("%s %s -> %s", tool, args, text(r)).isTrue();
    return text(r);
  }

  static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void initializeAndListTheToolsWithSchemas() throws Exception {
    try (McpSyncClient client = client()) {
      McpSchema.InitializeResult init = client.initialize();
      assertThat(init.serverInfo().name()).isEqualTo("hotmem");
      assertThat(init.capabilities().tools()).isNotNull();
      List<McpSchema.Tool> tools = client.listTools().tools();
      assertThat(tools)
          .extracting(McpSchema.Tool::name)
          .containsExactlyInAnyOrderElementsOf(ALL_TOOLS);
      for (McpSchema.Tool tool : tools) {
        assertThat(tool.description()).as(tool.name()).hasSizeGreaterThan(60);
        assertThat(tool.inputSchema()).as(tool.name()).containsEntry("type", "object");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> properties =
            (Map<String, Map<String, Object>>) tool.inputSchema().get("properties");
        properties.forEach(
            (name, schema) ->
                assertThat(schema)
                    .as(tool.name() + "." + name)
                    .containsKeys("type", "description"));
      }
    }
  }

  @Test
  void rememberRecallForget() throws Exception {
    try (McpSyncClient client = client()) {
      client.initialize();
      JsonNode stored =
          ok(
              client,
              "remember",
              args("content", "The user prefers tabs over spaces", "importance", 0.9));
      String id = stored.get("id").asText();
      assertThat(stored.get("duplicate").asBoolean()).isFalse();
      assertThat(
              ok(client, "remember", args("content", "The user prefers tabs over spaces"))
                  .get("duplicate")
                  .asBoolean())
          .isTrue();
      ok(client, "remember", args("content", "Deploys go out on Thursdays", "category", "process"));

      JsonNode recalled = ok(client, "recall", args("query", "tabs or spaces?", "k", 1));
      assertThat(recalled.get("count").asInt()).isEqualTo(1);
      assertThat(recalled.get("memories").get(0).get("id").asText()).isEqualTo(id);
      assertThat(recalled.get("memories").get(0).get("content").asText()).contains("tabs");

      assertThat(ok(client, "forget", args("id", id)).get("forgotten").asText()).isEqualTo(id);
      JsonNode after = ok(client, "recall", args("query", "tabs or spaces?", "k", 5));
      for (JsonNode m : after.get("memories")) {
        assertThat(m.get("id").asText()).isNotEqualTo(id);
      }
    }
  }

  @Test
  void aFactSessionCallsEachMemoryTool() throws Exception {
    try (McpSyncClient client = client()) {
      client.initialize();
      JsonNode first =
          ok(client, "memory_write", args("content", "V[srv.prod]: api.example.com:3005"));
      assertThat(first.get("type").asText()).isEqualTo("value");
      assertThat(first.get("target").asText()).isEqualTo("srv.prod");
      ok(client, "memory_write", args("content", "?[db.engine]: which database", "scope", "db"));
      JsonNode second =
          ok(
              client,
              "memory_write",
              args("content", "V[srv.prod]: api.example.com:4000", "scope", "global"));
      assertThat(second.get("superseded").get(0).asText()).isEqualTo(first.get("id").asText());
      JsonNode answer =
          ok(client, "memory_write", args("content", "D[db.engine]: SQLite", "scope", "db"));
      assertThat(answer.get("resolved_unknown").isNull()).isFalse();
      ok(client, "memory_write", args("content", "remember to rotate the keys"));

      JsonNode found = ok(client, "memory_search", args("query", "srv.prod server", "limit", 5));
      assertThat(found.toString()).contains("api.example.com:4000").doesNotContain(":3005");

      JsonNode tick = ok(client, "memory_tick", args("turn", 1, "message", "the db work is done"));
      assertThat(tick.get("repeated").asBoolean()).isFalse();
      assertThat(ok(client, "memory_tick", args("turn", 1)).get("repeated").asBoolean()).isTrue();

      JsonNode status = ok(client, "memory_status", Map.of());
      assertThat(status.get("block").asText())
          .startsWith("[MEMORY_SPEC v1.0]")
          .contains("V[srv.prod]: api.example.com:4000")
          .doesNotContain(":3005");
      assertThat(status.get("budget_tokens").asInt()).isEqualTo(150);
      McpSchema.GetPromptResult prompt =
          client.getPrompt(new McpSchema.GetPromptRequest("memory_status", Map.of(), null));
      assertThat(((TextContent) prompt.messages().get(0).content()).text())
          .isEqualTo(status.get("block").asText());

      JsonNode history = ok(client, "memory_reflect", args("topic", "srv.prod"));
      assertThat(history.get("count").asInt()).isEqualTo(2);
      assertThat(history.get("history").get(0).get("line").asText()).endsWith(":3005");
      assertThat(history.get("history").get(0).get("replaced_by").asText())
          .isEqualTo(second.get("id").asText());
      JsonNode then =
          ok(
              client,
              "memory_reflect",
              args("topic", "srv.prod", "as_of", first.get("created_at").asText()));
      assertThat(then.get("fact").get("line").asText()).endsWith(":3005");

      JsonNode all = ok(client, "memory_export", args("status", "all"));
      assertThat(all.get("notation").asText())
          .contains("V[srv.prod]: api.example.com:3005\n")
          .contains("D[db.engine]: SQLite")
          .contains("remember to rotate the keys");
      assertThat(ok(client, "memory_purge", args("older_than_days", 1)).get("purged").asInt())
          .isZero();
      ok(client, "memory_purge", Map.of());
      assertThat(ok(client, "memory_export", Map.of()).get("notation").asText())
          .contains("V[srv.prod]: api.example.com:4000")
          .doesNotContain(":3005");
    }
  }

  @Test
  void badMemoryToolArgumentsAreToolErrors() throws Exception {
    try (McpSyncClient client = client()) {
      client.initialize();
      assertThat(error(client, "memory_write", args("content", ""))).contains("content");
      assertThat(error(client, "memory_write", args("content", "x", "scope", 3))).contains("scope");
      assertThat(error(client, "memory_search", args("query", "x", "limit", 21))).contains("limit");
      assertThat(error(client, "memory_search", args("limit", 3))).contains("query");
      assertThat(error(client, "memory_tick", args("turn", -1))).contains("turn");
      assertThat(error(client, "memory_tick", args("message", "hi"))).contains("turn");
      assertThat(error(client, "memory_tick", args("turn", "7"))).contains("turn");
      assertThat(error(client, "memory_status", args("verbose", true))).contains("verbose");
      assertThat(error(client, "memory_reflect", args("topic", "x", "as_of", "yesterday")))
          .contains("as_of");
      assertThat(error(client, "memory_reflect", args("topic", "x", "limit", 0))).contains("limit");
      assertThat(error(client, "memory_export", args("status", "everything"))).contains("status");
      assertThat(error(client, "memory_purge", args("older_than_days", -3)))
          .contains("older_than_days");
      assertThat(ok(client, "memory_status", Map.of()).get("hot_facts").asInt()).isZero();
    }
  }

  @Test
  void badArgumentsAreToolErrorsAndTheServerKeepsServing() throws Exception {
    try (McpSyncClient client = client()) {
      client.initialize();
      assertThat(error(client, "remember", Map.of())).contains("content").contains("required");
      assertThat(error(client, "remember", args("content", "   "))).contains("content");
      assertThat(error(client, "remember", args("content", 42))).contains("must be a string");
      assertThat(error(client, "remember", args("content", "x", "importance", 7)))
          .contains("importance");
      assertThat(error(client, "remember", args("content", "x", "importance", "high")))
          .contains("importance");
      assertThat(error(client, "remember", args("content", "x", "colour", "red")))
          .contains("colour");
      assertThat(error(client, "recall", args("query", "x", "k", 0))).contains("k");
      assertThat(error(client, "recall", args("query", "x", "k", 2.5))).contains("integer");
      assertThat(error(client, "recall", args("query", List.of("a")))).contains("query");
      assertThat(error(client, "forget", args("id", "01NOSUCHMEMORY0000000000000")))
          .contains("not_found");
      Map<String, Object> nested = new HashMap<>();
      nested.put("content", Map.of("deep", List.of(1, 2, Map.of())));
      assertThat(error(client, "remember", nested)).contains("content");
      assertThat(error(client, "remember", args("content", "x".repeat(200_000))))
          .contains("content");
      assertThatThrownBy(() -> call(client, "no_such_tool", Map.of())).isInstanceOf(McpError.class);
      // Still serving, and nothing half-written.
      assertThat(ok(client, "recall", args("query", "x")).get("count").asInt()).isZero();
    }
  }
}
