package dev.hotmem.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotmem.HotMem;
import dev.hotmem.facts.FactConfig;
import dev.hotmem.facts.FactMemory;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ten tools called directly (no transport) over a real SQLite file: their schemas, and hostile
 * arguments, which must always give an answer, never an exception.
 */
class McpToolsTest {
  @TempDir Path dir;
  HotMem hotMem;
  List<McpTool> tools;

  @BeforeEach
  void open() {
    hotMem = HotMem.open(dir.resolve("t.sqlite"));
    FactMemory facts = FactMemory.open(hotMem, FactConfig.defaults());
    tools = HotMemMcp.builder(hotMem).facts(facts).build().tools();
  }

  @AfterEach
  void close() {
    hotMem.close();
  }

  McpTool tool(String name) {
    return tools.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  static String text(CallToolResult r) {
    return ((TextContent) r.content().get(0)).text();
  }

  @Test
  void tenToolsEachWithAClosedDescribedSchema() {
    assertThat(tools)
        .extracting(McpTool::name)
        .containsExactly(
            "memory_write",
            "memory_search",
            "memory_tick",
            "memory_status",
            "memory_reflect",
            "memory_export",
            "memory_purge",
            "remember",
            "recall",
            "forget");
    for (McpTool t : tools) {
      Map<String, Object> schema = t.tool().inputSchema();
      assertThat(schema)
          .containsEntry("type", "object")
          .containsEntry("additionalProperties", false);
      assertThat(t.tool().description()).as(t.name()).hasSizeGreaterThan(80);
    }
  }

  @Test
  void hintsTellReadsFromErasures() {
    for (String reads : List.of("memory_search", "memory_status", "memory_reflect", "recall")) {
      assertThat(tool(reads).tool().annotations().readOnlyHint()).as(reads).isTrue();
    }
    for (String erases : List.of("forget", "memory_purge")) {
      assertThat(tool(erases).tool().annotations().destructiveHint()).as(erases).isTrue();
      assertThat(tool(erases).tool().annotations().readOnlyHint()).as(erases).isFalse();
    }
    assertThat(tool("memory_write").tool().annotations().destructiveHint()).isFalse();
  }

  @Test
  void withoutFactsOnlyTheLibraryToolsAreOffered() {
    assertThat(HotMemMcp.builder(hotMem).build().tools())
        .extracting(McpTool::name)
        .containsExactly("remember", "recall", "forget");
  }

  @Test
  void answersAreJsonTextAndStructuredContent() throws Exception {
    CallToolResult r =
        tool("memory_write").call(Map.of("content", "C[db.id]: UUID, never autoincrement"));
    assertThat(r.isError()).isFalse();
    JsonNode json = McpTool.JSON.readTree(text(r));
    assertThat(json.get("line").asText()).isEqualTo("C[db.id]: UUID, never autoincrement");
    assertThat(json.get("type").asText()).isEqualTo("constraint");
    assertThat(r.structuredContent()).isInstanceOf(Map.class);
    assertThat(((Map<?, ?>) r.structuredContent()).get("id")).isEqualTo(json.get("id").asText());
    assertThat(tool("memory_export").call(null).isError()).isFalse();
  }

  /** Random argument maps: known and unknown names, values of every JSON type. */
  @Test
  void hostileArgumentsNeverThrow() {
    long seed = Long.getLong("hotmem.seed", System.nanoTime());
    Random random = new Random(seed);
    List<String> names =
        List.of(
            "content",
            "query",
            "scope",
            "limit",
            "k",
            "turn",
            "message",
            "topic",
            "as_of",
            "status",
            "older_than_days",
            "id",
            "importance",
            "category",
            "x",
            "");
    int errors = 0;
    int answers = 0;
    for (int i = 0; i < 600; i++) {
      McpTool t = tools.get(random.nextInt(tools.size()));
      Map<String, Object> args = new HashMap<>();
      int n = random.nextInt(4);
      for (int j = 0; j < n; j++) {
        args.put(names.get(random.nextInt(names.size())), value(random, 0));
      }
      CallToolResult r;
      try {
        r = t.call(args);
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + ": " + t.name() + " " + args + " threw", e);
      }
      assertThat(r.content()).as("seed %d: %s %s", seed, t.name(), args).hasSize(1);
      assertThat(text(r)).as("seed %d", seed).isNotBlank().doesNotContain("internal_error");
      if (r.isError()) {
        errors++;
      } else {
        answers++;
      }
    }
    assertThat(errors).as("seed %d", seed).isPositive();
    assertThat(answers).as("seed %d", seed).isPositive();
  }

  static Object value(Random r, int depth) {
    switch (r.nextInt(depth > 1 ? 7 : 9)) {
      case 0:
        return null;
      case 1:
        return r.nextBoolean();
      case 2:
        return r.nextInt(41) - 20;
      case 3:
        return r.nextDouble() * 100 - 50;
      case 4:
        return r.nextLong();
      case 5:
        return List.of(
                "",
                " ",
                "V[srv.prod]: a:1",
                "✓[auth]",
                "?[]",
                "\u0000\u202e",
                "2026-01-01",
                "done",
                "all",
                "x".repeat(300))
            .get(r.nextInt(10));
      case 6:
        return "\"); DROP TABLE memories; -- " + r.nextInt();
      case 7:
        List<Object> list = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
          list.add(value(r, depth + 1));
        }
        return list;
      default:
        Map<String, Object> map = new HashMap<>();
        map.put("k", value(r, depth + 1));
        return map;
    }
  }
}
