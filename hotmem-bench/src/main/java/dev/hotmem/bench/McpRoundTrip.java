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
 *     [--launcher ./hotmem] [--embedder local|hash] [--warmup 200] [--iterations 1000]
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
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--launcher" -> launcher = args[++i];
        case "--embedder" -> embedder = args[++i];
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--iterations" -> iterations = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("hotmem-mcp-bench-");
    Path db = dir.resolve("memory.sqlite");
    List<String> cmd = new ArrayList<>(List.of(launcher, "mcp", "--db", db.toString()));
    if (embedder != null) {
      cmd.addAll(List.of("--embedder", embedder));
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
