package dev.hotmem.bench;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.NewMemory;
import dev.hotmem.Tracing;
import dev.hotmem.VectorIndexStatus;
import dev.hotmem.embed.Embedders;
import dev.hotmem.server.HotMemServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load generator for {@code POST /v1/search} over real HTTP on loopback: {@code clients} threads,
 * each with its own keep-alive connection, send search requests (LoCoMo-derived questions over a
 * LoCoMo-derived store, top_k 10) for a warm-up and then a measured period, and the latencies are
 * reported as percentiles.
 *
 * <p>Two load shapes:
 *
 * <ul>
 *   <li><b>closed loop</b> ({@code --rate 0}, the default): each client sends its next request as
 *       soon as the previous answer arrived. This saturates the server; the latency then includes
 *       the wait for a core (on 2 cores with 8 clients, roughly 8 / throughput).
 *   <li><b>open loop</b> ({@code --rate R}): requests are scheduled at R per second in total,
 *       spread over the clients, and each latency is measured from its <i>scheduled</i> send time,
 *       so a stalled server is charged for the requests it delayed (no coordinated omission).
 * </ul>
 *
 * <p>The client is a few lines of blocking socket I/O (no HTTP library), so the load generator
 * costs the shared cores as little as possible. By default the server runs in this JVM on an
 * ephemeral port over an ephemeral store of {@code --size} memories, tracing off; {@code --url}
 * aims at a running server instead (for example {@code ./hotmem serve}).
 *
 * <p>Run (after {@code ./mvnw -q -pl hotmem-bench -am package -DskipTests}):
 *
 * <pre>{@code
 * java -cp hotmem-bench/target/benchmarks.jar dev.hotmem.bench.HttpSearchLoad \
 *     --size 100000 --clients 8 --seconds 30 [--rate 0] [--trace] [--embedder hash] [--db FILE] \
 *     [--unique] [--ann-threshold N] [--dump-bodies FILE]
 * }</pre>
 *
 * <p>{@code --embedder} takes any embedder spec ({@code hash}, {@code local:...}); {@code --db}
 * keeps the store in that file and reuses it on the next run (topped up to {@code --size}), which
 * matters when every memory costs a model call. {@code --ann-threshold} sets the store's graph
 * threshold (a store loaded from its side-file keeps its graph whatever it says). The measurement
 * starts once no graph is being built in the background. {@code --dump-bodies} writes the request
 * bodies, one a line, for {@code hotmem-bench/wrk/search.lua}, and exits.
 */
public final class HttpSearchLoad {
  private static final java.util.concurrent.atomic.AtomicInteger UNIQUE_SEQUENCE =
      new java.util.concurrent.atomic.AtomicInteger();

  private HttpSearchLoad() {}

  private record Options(
      int size,
      int clients,
      int warmupSeconds,
      int seconds,
      double rate,
      String url,
      boolean trace,
      String embedder,
      Path db,
      boolean unique,
      int annThreshold,
      Path dumpBodies) {
    static Options parse(String[] args) {
      int size = 100_000;
      int clients = 8;
      int warmup = 10;
      int seconds = 30;
      double rate = 0;
      String url = null;
      boolean trace = false;
      String embedder = "hash";
      Path db = null;
      boolean unique = false;
      int annThreshold = HotMemConfig.Builder.DEFAULT_ANN_THRESHOLD;
      Path dumpBodies = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--size" -> size = Integer.parseInt(args[++i]);
          case "--clients" -> clients = Integer.parseInt(args[++i]);
          case "--warmup" -> warmup = Integer.parseInt(args[++i]);
          case "--seconds" -> seconds = Integer.parseInt(args[++i]);
          case "--rate" -> rate = Double.parseDouble(args[++i]);
          case "--url" -> url = args[++i];
          case "--trace" -> trace = true;
          case "--embedder" -> embedder = args[++i];
          case "--db" -> db = Path.of(args[++i]);
          case "--unique" -> unique = true;
          case "--ann-threshold" -> annThreshold = Integer.parseInt(args[++i]);
          case "--dump-bodies" -> dumpBodies = Path.of(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return new Options(
          size,
          clients,
          warmup,
          seconds,
          rate,
          url,
          trace,
          embedder,
          db,
          unique,
          annThreshold,
          dumpBodies);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    LocomoCorpus corpus = new LocomoCorpus(11);
    List<byte[]> bodies = new ArrayList<>();
    List<String> queries = corpus.queries(1024);
    // --unique: every request a query text never sent before (the 1024 questions with a running
    // number appended, 131,072 of them), so the engine's query-embedding cache never answers and
    // each search pays its embedding.
    int distinct = o.unique() ? 131_072 : 1024;
    for (int i = 0; i < distinct; i++) {
      String q = queries.get(i & 1023) + (o.unique() ? " " + (i >> 10) : "");
      bodies.add(
          ("{\"query\": " + jsonString(q) + ", \"top_k\": 10}").getBytes(StandardCharsets.UTF_8));
    }
    if (o.dumpBodies() != null) {
      // For an outside load generator (hotmem-bench/wrk/search.lua): one body a line.
      try (var out = Files.newOutputStream(o.dumpBodies())) {
        for (byte[] body : bodies) {
          out.write(body);
          out.write('\n');
        }
      }
      System.out.printf(Locale.ROOT, "wrote %d bodies to %s%n", bodies.size(), o.dumpBodies());
      return;
    }
    System.out.println(Machine.describe());
    if (o.url() != null) {
      URI uri = URI.create(o.url());
      run(o, uri.getHost(), uri.getPort(), bodies, "the load generator only");
      return;
    }
    Path dir =
        o.db() != null
            ? o.db().toAbsolutePath().getParent()
            : Files.createTempDirectory("hotmem-http-load");
    Files.createDirectories(dir);
    HotMemConfig config =
        HotMemConfig.builder(o.db() != null ? o.db() : dir.resolve("load.sqlite"))
            .embedder(Embedders.create(o.embedder(), Map.of()))
            .tracing(o.trace() ? Tracing.STDERR : Tracing.OFF)
            .annThreshold(o.annThreshold())
            .build();
    try (HotMem mem = HotMem.open(config)) {
      long t0 = System.nanoTime();
      long have = mem.count();
      // A kept store (--db) is topped up to --size; the corpus is deterministic, so the memories
      // added are the ones a fresh load would have added next.
      List<NewMemory> all = have < o.size() ? corpus.memories(o.size(), 1000) : List.of();
      for (int done = (int) have; done < all.size(); done += 10_000) {
        mem.rememberAll(all.subList(done, Math.min(done + 10_000, all.size())));
        System.out.printf(Locale.ROOT, "  loaded %d%n", Math.min(done + 10_000, all.size()));
      }
      System.out.printf(
          Locale.ROOT,
          "store: %d memories (embedder %s) ready in %.1f s%n",
          mem.count(),
          mem.info().embedderId(),
          (System.nanoTime() - t0) / 1e9);
      // Past the graph threshold a store without a fresh side-file builds its graph in the
      // background; measuring then would time exact search beside a build. Wait for it.
      long waitStart = System.nanoTime();
      while (mem.vectorIndex().building()) {
        Thread.sleep(200);
      }
      VectorIndexStatus index = mem.vectorIndex();
      System.out.printf(
          Locale.ROOT,
          "vector index: %s, %d entries%s (waited %.1f s for a build)%n",
          index.kind().wireName(),
          index.entries(),
          index.searchBeam() > 0 ? ", search beam " + index.searchBeam() : "",
          (System.nanoTime() - waitStart) / 1e9);
      try (HotMemServer server =
          HotMemServer.builder(mem).port(0).fileRoot(dir).version("bench").start()) {
        run(o, "127.0.0.1", server.port(), bodies, "server and load generator");
      }
    } finally {
      if (o.db() == null) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /**
   * @param cpuOf what this process's CPU time covers, for the report
   */
  private static void run(Options o, String host, int port, List<byte[]> bodies, String cpuOf)
      throws InterruptedException {
    System.out.printf(
        Locale.ROOT,
        "load: POST /v1/search top_k 10, %d clients, %s, warm-up %d s, measured %d s, %s%n",
        o.clients(),
        o.rate() > 0
            ? String.format(Locale.ROOT, "open loop at %.0f req/s", o.rate())
            : "closed loop",
        o.warmupSeconds(),
        o.seconds(),
        o.unique()
            ? "every query new (no cache hits)"
            : "1,024 distinct queries (cached after first use)");
    Phase warmup = phase(o, host, port, bodies, o.warmupSeconds());
    warmup.await();
    long cpuStart = processCpuNanos();
    long wallStart = System.nanoTime();
    Phase measured = phase(o, host, port, bodies, o.seconds());
    measured.await();
    double cpuMs = (processCpuNanos() - cpuStart) / 1e6;
    double wallMs = (System.nanoTime() - wallStart) / 1e6;
    Latencies all = new Latencies();
    long errors = measured.errors.get();
    for (Latencies l : measured.latencies) {
      for (int i = 0; i < l.count(); i++) {
        all.add(l.nanos(i));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "result: %d requests in %d s = %.0f req/s, errors %d%n"
            + "latency ms: p50 %.3f  p90 %.3f  p95 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
        all.count(),
        o.seconds(),
        all.count() / (double) o.seconds(),
        errors,
        all.percentileMs(50),
        all.percentileMs(90),
        all.percentileMs(95),
        all.percentileMs(99),
        all.percentileMs(99.9),
        all.percentileMs(100));
    // What a request costs in CPU sets what a closed loop can reach on these cores.
    if (cpuStart < 0) {
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "cpu: this process %.2f cores, %.3f ms a request (%s)%n",
        cpuMs / wallMs,
        cpuMs / Math.max(1, all.count() + errors),
        cpuOf);
  }

  /** This process's CPU time, all threads, in nanoseconds; -1 where the JVM cannot tell. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  /** One timed period of load: its threads, their latencies and the error count. */
  private static final class Phase {
    final List<Latencies> latencies = new ArrayList<>();
    final AtomicLong errors = new AtomicLong();
    final CountDownLatch done;

    Phase(int clients) {
      done = new CountDownLatch(clients);
      for (int i = 0; i < clients; i++) {
        latencies.add(new Latencies());
      }
    }

    void await() throws InterruptedException {
      done.await();
    }
  }

  private static Phase phase(Options o, String host, int port, List<byte[]> bodies, int seconds) {
    Phase phase = new Phase(o.clients());
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    for (int c = 0; c < o.clients(); c++) {
      int client = c;
      Thread t =
          new Thread(
              () -> {
                try {
                  load(o, host, port, bodies, client, start, end, phase);
                } catch (IOException e) {
                  phase.errors.incrementAndGet();
                  System.err.println("client " + client + ": " + e);
                } finally {
                  phase.done.countDown();
                }
              },
              "load-" + c);
      t.setDaemon(true);
      t.start();
    }
    return phase;
  }

  private static void load(
      Options o,
      String host,
      int port,
      List<byte[]> bodies,
      int client,
      long start,
      long end,
      Phase phase)
      throws IOException {
    Latencies latencies = phase.latencies.get(client);
    // Open loop: this client's requests are scheduled every clients/rate seconds, offset so the
    // clients interleave.
    long interval = o.rate() > 0 ? (long) (o.clients() / o.rate() * 1e9) : 0;
    long scheduled = start + (interval * client) / Math.max(1, o.clients());
    int next = client * 97;
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      while (true) {
        long sendAt;
        if (interval > 0) {
          while (System.nanoTime() < scheduled) {
            LockSupport.parkNanos(scheduled - System.nanoTime());
          }
          sendAt = scheduled;
          scheduled += interval;
        } else {
          sendAt = System.nanoTime();
        }
        if (sendAt >= end) {
          return;
        }
        // --unique: one sequence over every client and phase, so no query text is ever sent twice
        // (warm-up included) until the 131,072 are used up.
        int pick = o.unique() ? UNIQUE_SEQUENCE.getAndIncrement() : next++;
        byte[] body = bodies.get(pick & (bodies.size() - 1));
        String header =
            "POST /v1/search HTTP/1.1\r\nHost: "
                + host
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\n\r\n";
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        int status = readResponse(in);
        latencies.add(System.nanoTime() - sendAt);
        if (status != 200) {
          phase.errors.incrementAndGet();
        }
      }
    }
  }

  /** Reads one HTTP/1.1 response (Content-Length or chunked body); returns its status. */
  private static int readResponse(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int status = -1;
    long length = -1;
    boolean chunked = false;
    boolean first = true;
    while (readLine(in, line).length() > 0) {
      String s = line.toString();
      if (first) {
        status = Integer.parseInt(s.substring(9, 12));
        first = false;
      } else if (s.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Long.parseLong(s.substring(15).trim());
      } else if (s.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
        chunked = s.toLowerCase(Locale.ROOT).contains("chunked");
      }
    }
    if (chunked) {
      while (true) {
        long size = Long.parseLong(readLine(in, line).toString().split(";")[0].trim(), 16);
        skip(in, size);
        readLine(in, line); // the CRLF after the chunk (or after the trailers when size is 0)
        if (size == 0) {
          return status;
        }
      }
    }
    if (length < 0) {
      throw new IOException("response without Content-Length (status " + status + ")");
    }
    skip(in, length);
    return status;
  }

  private static StringBuilder readLine(InputStream in, StringBuilder line) throws IOException {
    line.setLength(0);
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed by the server");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line;
  }

  private static void skip(InputStream in, long length) throws IOException {
    long skipped = 0;
    while (skipped < length) {
      long n = in.skip(length - skipped);
      if (n <= 0) {
        if (in.read() < 0) {
          throw new IOException("connection closed inside a body");
        }
        n = 1;
      }
      skipped += n;
    }
  }

  private static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
