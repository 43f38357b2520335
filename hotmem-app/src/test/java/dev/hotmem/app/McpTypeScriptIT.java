package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client not written in Java: the official TypeScript SDK ({@code @modelcontextprotocol/sdk} from
 * npm, installed by {@code .ci/run}) runs {@code src/test/typescript/session.mjs} against {@code
 * hotmem mcp} over stdio and {@code hotmem serve} over Streamable HTTP: initialize, tools/list, and
 * a scripted call of each tool. Fails (never skips) when node or the SDK is missing.
 */
class McpTypeScriptIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE = System.getenv().getOrDefault("HOTMEM_NODE", "node");

  @TempDir Path dir;

  static Path scriptDir() {
    Path d = Binary.repo().resolve("hotmem-app/src/test/typescript");
    assertThat(d.resolve("node_modules/@modelcontextprotocol/sdk/package.json"))
        .as(
            "the TypeScript MCP SDK, installed by .ci/run (npm ci --prefix"
                + " hotmem-app/src/test/typescript)")
        .isRegularFile();
    return d;
  }

  /** The scripted calls, and whether each must be a tool error. */
  record Step(String tool, Map<String, Object> args, boolean error, String contains) {}

  static List<Step> script() {
    return List.of(
        new Step("memory_write", Map.of("content", "V[srv.prod]: a.example:1"), false, "\"id\""),
        new Step(
            "memory_write",
            Map.of("content", "V[srv.prod]: b.example:2", "scope", "global"),
            false,
            "superseded"),
        new Step("memory_search", Map.of("query", "srv.prod", "limit", 5), false, "b.example:2"),
        new Step("memory_tick", Map.of("turn", 1, "message", "hello"), false, "\"turn\":1"),
        new Step("memory_status", Map.of(), false, "MEMORY_SPEC"),
        new Step("memory_reflect", Map.of("topic", "srv.prod"), false, "a.example:1"),
        new Step("memory_export", Map.of("status", "all"), false, "V[srv.prod]: a.example:1"),
        new Step("memory_purge", Map.of("older_than_days", 30), false, "purged"),
        new Step("memory_search", Map.of("query", "x", "limit", 99), true, "limit"),
        new Step("memory_tick", Map.of("turn", "one"), true, "turn"),
        new Step("remember", Map.of("content", "TS: the build uses Maven 3.9"), false, "\"id\""),
        new Step("recall", Map.of("query", "which build tool", "k", 3), false, "Maven 3.9"),
        new Step("forget", Map.of("id", "${id}"), false, "forgotten"),
        new Step("recall", Map.of("query", "x", "k", "three"), true, "k"),
        new Step("remember", Map.of(), true, "content"),
        new Step("forget", Map.of("id", "nope"), true, "not_found"));
  }

  JsonNode runSession(String... modeArgs) throws Exception {
    Path plan = dir.resolve("plan.json");
    List<Map<String, Object>> steps = new ArrayList<>();
    for (Step s : script()) {
      steps.add(Map.of("tool", s.tool(), "args", s.args()));
    }
    JSON.writeValue(plan.toFile(), steps);
    List<String> command = new ArrayList<>(List.of(NODE, "session.mjs", plan.toString()));
    command.addAll(List.of(modeArgs));
    Path out = dir.resolve("ts.out");
    Path err = dir.resolve("ts.err");
    Process p =
        new ProcessBuilder(command)
            .directory(scriptDir().toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(Binary.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "the TypeScript session overstayed; stderr: " + Files.readString(err));
    }
    assertThat(p.exitValue()).as("node exit; stderr: %s", Files.readString(err)).isZero();
    return JSON.readTree(out.toFile());
  }

  static void check(JsonNode session) {
    assertThat(session.get("server").get("name").asText()).isEqualTo("hotmem");
    List<String> names = new ArrayList<>();
    for (JsonNode tool : session.get("tools")) {
      names.add(tool.get("name").asText());
      assertThat(tool.get("description").asText()).hasSizeGreaterThan(60);
      assertThat(tool.get("inputSchema").get("type").asText()).isEqualTo("object");
    }
    assertThat(names).containsExactlyInAnyOrderElementsOf(McpSessionContract.ALL_TOOLS);
    assertThat(session.get("prompts").get(0).get("name").asText()).isEqualTo("memory_status");
    assertThat(session.get("prompts").get(0).get("text").asText()).startsWith("[MEMORY_SPEC v1.0]");
    List<Step> script = script();
    JsonNode calls = session.get("calls");
    assertThat(calls).hasSize(script.size());
    for (int i = 0; i < script.size(); i++) {
      Step s = script.get(i);
      JsonNode c = calls.get(i);
      assertThat(c.get("isError").asBoolean()).as("%s -> %s", s, c).isEqualTo(s.error());
      assertThat(c.get("text").asText()).as("%s", s).contains(s.contains());
    }
  }

  @Test
  void overStdio() throws Exception {
    List<String> server =
        Binary.javaJar("mcp", "--db", dir.resolve("s.sqlite").toString(), "--embedder", "hash");
    List<String> args = new ArrayList<>(List.of("stdio"));
    args.addAll(server);
    check(runSession(args.toArray(String[]::new)));
  }

  @Test
  void overStreamableHttp() throws Exception {
    String token = "ts-token";
    try (Binary.Child serve =
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
                token),
            Map.of())) {
      String url = McpHttpIT.awaitServing(serve);
      check(runSession("http", url + "/mcp", token));
      serve.process.destroy();
      assertThat(serve.await(Duration.ofSeconds(30)).exit()).isZero();
    }
  }
}
