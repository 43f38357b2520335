package dev.hotmem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MCP round trip an agent pays for one remembered fact and one look-up: {@code memory_write}
 * then {@code memory_search} over stdio against a real {@code hotmem mcp} child, with the default
 * (local) embedding model unless told otherwise. Reports p50 / p99 of the pair, and of each call.
 *
 * <p>The client is raw JSON-RPC lines (one message, one answer), so the figures are the server's
 * and the pipe's, not a client library's. Each iteration writes a new fact and searches with a new
 * query (no query-cache hits); the store starts empty and grows by the warm-up and measured writes.
 *
 * <p>Run (after {@code ./mvnw -q -pl hotmem-bench,hotmem-app -am package -DskipTests}):
 *
 * <pre>{@code
 * java -cp hotmem-bench/target/benchmarks.jar dev.hotmem.bench.McpRoundTrip \
 *     [--launcher ./hotmem] [--embedder local|hash] [--warmup 200] [--iterations 1000] [--trace]
 * }</pre>
 */
public final class McpRoundTrip {
  private static final ObjectMapper JSON = new ObjectMapper();

  private McpRoundTrip() {}

  public static void main(String[] args) throws Exception {
    String launcher = "./hotmem";
    String embedder = null;
    int warmup = 200;
    int iterations = 1000;
    boolean trace = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--launcher" -> launcher = args[++i];
        case "--embedder" -> embedder = args[++i];
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        case "--trace" -> trace = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("hotmem-mcp-bench-");
    Path db = dir.resolve("memory.sqlite");
    List<String> cmd = new ArrayList<>(List.of(launcher, "mcp", "--db", db.toString()));
    if (embedder != null) {
      cmd.addAll(List.of("--embedder", embedder));
    }
    if (trace) {
      cmd.add("--trace"); // the server's trace lines say where each call's time went
    }
    System.out.println(Machine.describe());
    System.out.println("server: " + String.join(" ", cmd));
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.to(dir.resolve("stderr.txt").toFile()))
            .start();
    try (OutputStream toServer = p.getOutputStream();
        BufferedReader fromServer =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      Rpc rpc = new Rpc(toServer, fromServer);
      long t0 = System.nanoTime();
      rpc.call(
          "initialize",
          Map.of(
              "protocolVersion",
              "2025-06-18",
              "capabilities",
              Map.of(),
              "clientInfo",
              Map.of("name", "bench", "version", "1")));
      rpc.notify("notifications/initialized");
      System.out.printf(
          Locale.ROOT, "initialize answered after %.0f ms%n", (System.nanoTime() - t0) / 1e6);
      Latencies pair = new Latencies();
      Latencies write = new Latencies();
      Latencies search = new Latencies();
      for (int i = 0; i < warmup + iterations; i++) {
        long a = System.nanoTime();
        rpc.tool(
            "memory_write",
            Map.of(
                "content",
                "V[svc.node" + i + "]: host-" + i + ".internal:" + (8000 + i % 1000),
                "scope",
                "bench"));
        long b = System.nanoTime();
        JsonNode found =
            rpc.tool("memory_search", Map.of("query", "which host runs node " + i, "limit", 5));
        long c = System.nanoTime();
        if (!found.toString().contains("host-" + i + ".internal")) {
          throw new IllegalStateException("search " + i + " missed its fact: " + found);
        }
        if (i >= warmup) {
          pair.add(c - a);
          write.add(b - a);
          search.add(c - b);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%d round trips after %d warm-up: write+search p50 %.2f ms, p99 %.2f ms"
              + " (write p50 %.2f / p99 %.2f; search p50 %.2f / p99 %.2f)%n",
          iterations,
          warmup,
          pair.percentileMs(50),
          pair.percentileMs(99),
          write.percentileMs(50),
          write.percentileMs(99),
          search.percentileMs(50),
          search.percentileMs(99));
    } finally {
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (trace) {
      printStages(dir.resolve("stderr.txt"), iterations);
    }
  }

  /**
   * The p50 of the server's stages over the last {@code n} writes and searches, from its trace
   * lines: the write's embedding and its whole store operation, the search's recall and the query's
   * embedding inside it.
   */
  private static void printStages(Path stderr, int n) throws IOException {
    Latencies embed = new Latencies();
    Latencies remember = new Latencies();
    Latencies recall = new Latencies();
    Latencies queryEmbed = new Latencies();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(stderr)) {
      if (line.startsWith("{")) {
        lines.add(JSON.readTree(line));
      }
    }
    List<JsonNode> embeds = ofOp(lines, "embed", n);
    List<JsonNode> remembers = ofOp(lines, "remember", n);
    List<JsonNode> recalls = ofOp(lines, "recall", n);
    embeds.forEach(l -> embed.add(nanos(l.get("ms"))));
    remembers.forEach(l -> remember.add(nanos(l.get("ms"))));
    recalls.forEach(l -> recall.add(nanos(l.get("ms"))));
    recalls.forEach(l -> queryEmbed.add(nanos(l.get("embed_ms"))));
    System.out.printf(
        Locale.ROOT,
        "server stages, p50 of the last %d: write: embedding %.2f ms, remember (with it) %.2f ms;"
            + " search: recall %.2f ms, its query embedding %.2f ms%n",
        n,
        embed.percentileMs(50),
        remember.percentileMs(50),
        recall.percentileMs(50),
        queryEmbed.percentileMs(50));
  }

  private static List<JsonNode> ofOp(List<JsonNode> lines, String op, int last) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode l : lines) {
      if (op.equals(l.path("op").asText())) {
        out.add(l);
      }
    }
    return out.subList(Math.max(0, out.size() - last), out.size());
  }

  private static long nanos(JsonNode ms) {
    return ms == null ? 0 : Math.round(ms.asDouble() * 1e6);
  }

  /** One request at a time, each answered before the next: the agent's pattern. */
  private static final class Rpc {
    private final OutputStream out;
    private final BufferedReader in;
    private int nextId = 1;

    Rpc(OutputStream out, BufferedReader in) {
      this.out = out;
      this.in = in;
    }

    JsonNode call(String method, Object params) throws IOException {
      int id = nextId++;
      send(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params));
      for (String line; (line = in.readLine()) != null; ) {
        JsonNode n = JSON.readTree(line);
        if (n.has("id") && n.get("id").asInt() == id) {
          if (n.has("error")) {
            throw new IllegalStateException(method + " failed: " + n.get("error"));
          }
          return n.get("result");
        }
      }
      throw new IllegalStateException("the server closed its output");
    }

    JsonNode tool(String name, Map<String, Object> arguments) throws IOException {
      JsonNode r = call("tools/call", Map.of("name", name, "arguments", arguments));
      if (r.get("isError").asBoolean()) {
        throw new IllegalStateException(name + " failed: " + r.get("content"));
      }
      return r.get("structuredContent");
    }

    void notify(String method) throws IOException {
      send(Map.of("jsonrpc", "2.0", "method", method));
    }

    private void send(Object message) throws IOException {
      out.write(JSON.writeValueAsBytes(message));
      out.write('\n');
      out.flush();
    }
  }
}
