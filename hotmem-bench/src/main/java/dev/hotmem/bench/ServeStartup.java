package dev.hotmem.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Time from starting {@code hotmem serve} on an existing store to its first answered {@code POST
 * /v1/search}, and the server's resident memory then and after a warm-up of searches. The store is
 * one {@link HttpSearchLoad} built and kept ({@code --db}), so it holds realistic memories.
 *
 * <p>Run (after {@code ./mvnw -q -pl hotmem-bench,hotmem-app -am package -DskipTests}):
 *
 * <pre>{@code
 * java -cp hotmem-bench/target/benchmarks.jar dev.hotmem.bench.HttpSearchLoad --size 100000 \
 *     --embedder local --db /tmp/hm100k/hotmem.sqlite --seconds 5 --warmup 1
 * java -cp hotmem-bench/target/benchmarks.jar dev.hotmem.bench.ServeStartup \
 *     --db /tmp/hm100k/hotmem.sqlite [--launcher ./hotmem] [--runs 3]
 * }</pre>
 *
 * <p>The server is started through the launcher, as a user starts it, so the time includes the JVM
 * start, opening the store, loading the vector index (or its side-file) and the embedding model,
 * and the first query's embedding. Linux only (resident memory comes from {@code /proc}).
 */
public final class ServeStartup {
  private ServeStartup() {}

  public static void main(String[] args) throws Exception {
    Path db = null;
    String launcher = "./hotmem";
    int runs = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--db" -> db = Path.of(args[++i]);
        case "--launcher" -> launcher = args[++i];
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (db == null || !Files.isRegularFile(db)) {
      throw new IllegalArgumentException("--db must name an existing store file");
    }
    System.out.println(Machine.describe());
    System.out.printf(Locale.ROOT, "store: %s (%.0f MB)%n", db, Files.size(db) / (1024.0 * 1024.0));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    byte[] body =
        "{\"query\": \"what did she say about the trip to the mountains\", \"top_k\": 10}"
            .getBytes(StandardCharsets.UTF_8);
    for (int r = 0; r < runs; r++) {
      int port = freePort();
      List<String> cmd = new ArrayList<>(List.of(launcher, "serve", "--db", db.toString()));
      cmd.addAll(List.of("--port", Integer.toString(port)));
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      try {
        HttpRequest search =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(30))
                .build();
        long firstMs = -1;
        while (firstMs < 0) {
          if (!p.isAlive()) {
            throw new IllegalStateException("the server exited with " + p.exitValue());
          }
          if (System.nanoTime() - t0 > Duration.ofMinutes(10).toNanos()) {
            throw new IllegalStateException("no answer within 10 minutes");
          }
          try {
            HttpResponse<String> res = http.send(search, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() == 200) {
              firstMs = (System.nanoTime() - t0) / 1_000_000;
            }
          } catch (IOException e) {
            Thread.sleep(10); // not listening yet
          }
        }
        long rssFirst = rssMb(p.pid());
        for (int i = 0; i < 500; i++) {
          http.send(search, HttpResponse.BodyHandlers.discarding());
        }
        long rssWarm = rssMb(p.pid());
        System.out.printf(
            Locale.ROOT,
            "run %d: first answer after %d ms; resident memory %d MB then, %d MB after 500"
                + " searches%n",
            r + 1,
            firstMs,
            rssFirst,
            rssWarm);
      } finally {
        p.destroy(); // SIGTERM: a graceful stop, as a user's Ctrl-C
        p.waitFor();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Resident memory of the process and its descendants (the launcher is a shell that execs or forks
   * java), in MB.
   */
  private static long rssMb(long pid) throws IOException {
    long kb = rssKb(pid);
    for (ProcessHandle child :
        ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
      kb += rssKb(child.pid());
    }
    return kb / 1024;
  }

  private static long rssKb(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.exists(status)) {
      return 0;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }
}
