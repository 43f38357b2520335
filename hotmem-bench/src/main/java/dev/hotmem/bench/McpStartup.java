package dev.hotmem.bench;

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
import java.util.concurrent.TimeUnit;

/**
 * How long an MCP client waits for {@code hotmem mcp}: from starting the process to the answer of
 * {@code initialize}, then of {@code tools/list} and of a first {@code memory_status}, with the
 * launcher's start-up cache and without it ({@code HOTMEM_STARTUP_CACHE=0}), runs interleaved so
 * that both see the same machine. The cache must exist already: start the launcher once after a
 * build and wait a few seconds (the launcher trains it in the background).
 *
 * <p>Run (after {@code ./mvnw -q -pl hotmem-bench,hotmem-app -am package -DskipTests}):
 *
 * <pre>{@code
 * ./hotmem --version; sleep 15
 * java -cp hotmem-bench/target/benchmarks.jar dev.hotmem.bench.McpStartup \
 *     [--launcher ./hotmem] [--runs 5] [--java /usr/lib/jvm/java-17-openjdk-amd64] [--db FILE]
 * }</pre>
 *
 * <p>Each run starts a new process on one store file, as a client such as Claude Code does at the
 * start of every session: {@code --db} (an existing store, with the embedder it records), else a
 * new one made by an uncounted first run, with the default local embedder.
 */
public final class McpStartup {
  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
          + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
          + "\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}";
  private static final String INITIALIZED =
      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
  private static final String TOOLS_LIST =
      "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
  private static final String STATUS =
      "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
          + "\"params\":{\"name\":\"memory_status\",\"arguments\":{}}}";

  private McpStartup() {}

  public static void main(String[] args) throws Exception {
    String launcher = "./hotmem";
    String java = null;
    int runs = 5;
    Path existing = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--launcher" -> launcher = args[++i];
        case "--java" -> java = args[++i];
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--db" -> existing = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("hotmem-mcp-startup-");
    Path db = existing != null ? existing : dir.resolve("memory.sqlite");
    System.out.println(Machine.describe());
    System.out.println(
        "server: " + launcher + " mcp --db " + db + (java == null ? "" : ", HOTMEM_JAVA=" + java));
    List<double[]> cached = new ArrayList<>();
    List<double[]> plain = new ArrayList<>();
    start(launcher, java, db, dir, true); // creates the store; not counted
    for (int r = 0; r < runs; r++) {
      cached.add(start(launcher, java, db, dir, true));
      plain.add(start(launcher, java, db, dir, false));
    }
    report("with the start-up cache   ", cached);
    report("HOTMEM_STARTUP_CACHE=0    ", plain);
  }

  /** One start: milliseconds to the answers of initialize, tools/list and memory_status. */
  private static double[] start(String launcher, String java, Path db, Path dir, boolean cache)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(launcher, "mcp", "--db", db.toString())
            .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.txt").toFile()));
    Map<String, String> env = pb.environment();
    env.put("HOTMEM_STARTUP_CACHE", cache ? "1" : "0");
    env.remove("HOTMEM_JAVA_OPTS");
    if (java != null) {
      env.put("HOTMEM_JAVA", java);
    }
    long t0 = System.nanoTime();
    Process p = pb.start();
    double[] ms = new double[3];
    try (OutputStream in = p.getOutputStream();
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      send(in, INITIALIZE);
      ms[0] = awaitId(out, 1, t0);
      send(in, INITIALIZED);
      send(in, TOOLS_LIST);
      ms[1] = awaitId(out, 2, t0);
      send(in, STATUS);
      ms[2] = awaitId(out, 3, t0);
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("hotmem mcp did not exit after its input ended");
    }
    return ms;
  }

  private static void send(OutputStream in, String line) throws IOException {
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  private static double awaitId(BufferedReader out, int id, long t0) throws IOException {
    String marker = "\"id\":" + id + ",";
    for (String line; (line = out.readLine()) != null; ) {
      if (line.contains(marker)) {
        if (line.contains("\"error\"")) {
          throw new IllegalStateException("request " + id + " failed: " + line);
        }
        return (System.nanoTime() - t0) / 1e6;
      }
    }
    throw new IllegalStateException("hotmem mcp closed its output before answering " + id);
  }

  private static void report(String label, List<double[]> runs) {
    StringBuilder sb = new StringBuilder(label);
    String[] names = {"initialize", "tools/list", "memory_status"};
    for (int k = 0; k < names.length; k++) {
      double[] v = new double[runs.size()];
      for (int r = 0; r < runs.size(); r++) {
        v[r] = runs.get(r)[k];
      }
      java.util.Arrays.sort(v);
      sb.append(
          String.format(
              Locale.ROOT,
              "  %s %.0f ms (%.0f-%.0f)",
              names[k],
              v[v.length / 2],
              v[0],
              v[v.length - 1]));
    }
    System.out.println(sb);
  }
}
