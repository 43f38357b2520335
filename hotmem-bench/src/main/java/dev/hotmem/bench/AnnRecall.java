package dev.hotmem.bench;

import dev.hotmem.MemoryStatus;
import dev.hotmem.NewMemory;
import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.Embedders;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.internal.index.AnnSideFile;
import dev.hotmem.internal.index.ExactVectorIndex;
import dev.hotmem.internal.index.JVectorIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ANN recall@k against exact search, and the latency of both, on realistic vectors: LoCoMo turns
 * varied into {@code --size} distinct memories ({@link LocomoCorpus}), embedded by {@code
 * --embedder}, queried with LoCoMo questions. Reports the graph build time, the heap and resident
 * memory after the build, the side-file's save and load times, and recall and latency with no
 * filter beyond the namespace and with an identifier filter passing about 1% of the memories.
 *
 * <p>Run (after {@code ./mvnw -q -pl hotmem-bench -am package -DskipTests}):
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp hotmem-bench/target/benchmarks.jar \
 *     dev.hotmem.bench.AnnRecall --size 100000 --embedder hash:384 [--queries 500] [--k 10] \
 *     [--degree 16] [--build-beam 100] [--search-beam 100] [--search-beams 50,100,200,400]
 * </pre>
 *
 * <p>{@code --db FILE} takes the vectors a kept store already holds (one {@code HttpSearchLoad
 * --embedder local --db FILE} built; its first {@code --size} active rows of the embedder's model)
 * instead of embedding the corpus again, so a million model vectors cost no model time; {@code
 * --embedder} must then name the store's model, which embeds the queries. The identifier filter
 * then passes about 0.1% of the rows (such a store has 1,000 identifiers).
 */
public final class AnnRecall {
  private AnnRecall() {}

  public static void main(String[] args) throws IOException {
    int size = 10_000;
    int queries = 500;
    int k = 10;
    String spec = "hash:384";
    JVectorIndex.Params d = JVectorIndex.Params.DEFAULT;
    java.nio.file.Path db = null;
    int degree = d.maxDegree();
    int buildBeam = d.buildBeam();
    int searchBeam = d.searchBeam();
    boolean beamGiven = false;
    List<Integer> sweep = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--size" -> size = Integer.parseInt(args[++i]);
        case "--queries" -> queries = Integer.parseInt(args[++i]);
        case "--k" -> k = Integer.parseInt(args[++i]);
        case "--embedder" -> spec = args[++i];
        case "--db" -> db = java.nio.file.Path.of(args[++i]);
        case "--degree" -> degree = Integer.parseInt(args[++i]);
        case "--build-beam" -> buildBeam = Integer.parseInt(args[++i]);
        case "--search-beam" -> {
          searchBeam = Integer.parseInt(args[++i]);
          beamGiven = true;
        }
        case "--search-beams" -> {
          for (String b : args[++i].split(",")) {
            sweep.add(Integer.parseInt(b.trim()));
          }
        }
        default -> {
          System.err.println(
              "usage: AnnRecall [--size N] [--embedder SPEC] [--db FILE] [--queries Q] [--k K]"
                  + " [--degree D] [--build-beam B] [--search-beam S] [--search-beams S1,S2,..];"
                  + " unknown "
                  + args[i]);
          System.exit(2);
        }
      }
    }
    Embedder embedder = Embedders.create(spec, Map.of());
    System.out.println(Machine.describe());
    System.out.printf(
        "date %s, size %d, embedder %s (%s), %d queries, k %d, graph degree %d, build beam %d,"
            + " search beam %d%n",
        LocalDate.now(),
        size,
        spec,
        embedder.id(),
        queries,
        k,
        degree,
        buildBeam,
        beamGiven ? searchBeam : d.searchBeamFor(size));
    JVectorIndex.Params params = new JVectorIndex.Params(degree, buildBeam, searchBeam);
    // Without --search-beam the index follows the size as the server does (Params.searchBeamFor).
    if (!beamGiven) {
      searchBeam = params.searchBeamFor(size);
    }

    LocomoCorpus corpus = new LocomoCorpus(42);
    List<String> questions = corpus.queries(queries);
    long t0 = System.nanoTime();
    List<VectorEntry> entries;
    if (db != null) {
      // The vectors a kept store holds (HttpSearchLoad --db): no model time for a million rows.
      entries = storedVectors(db, size, embedder.id());
      size = entries.size();
    } else {
      entries = embedCorpus(corpus.memories(size, 100), embedder);
    }
    List<float[]> queryVectors = new ArrayList<>();
    for (float[] v : embedder.embed(questions)) {
      queryVectors.add(normalised(v));
    }
    System.out.printf(
        "%s %d vectors in %.1f s%n",
        db != null ? "read" : "embedded", entries.size(), (System.nanoTime() - t0) / 1e9);
    runWith(entries, queryVectors, size, k, params, sweep, searchBeam, embedder);
  }

  /** The first {@code limit} active vectors of a store made by {@code model}, in row order. */
  private static List<VectorEntry> storedVectors(java.nio.file.Path db, int limit, String model)
      throws IOException {
    List<VectorEntry> out = new ArrayList<>();
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT seq, identifier, embedding FROM memories WHERE status = 'active'"
                    + " AND embedding_model = ? ORDER BY seq LIMIT ?")) {
      ps.setString(1, model);
      ps.setInt(2, limit);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          java.nio.FloatBuffer fb =
              java.nio.ByteBuffer.wrap(rs.getBytes(3))
                  .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                  .asFloatBuffer();
          float[] v = new float[fb.remaining()];
          fb.get(v);
          out.add(
              new VectorEntry(
                  rs.getLong(1), normalised(v), "default", rs.getString(2), MemoryStatus.ACTIVE));
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IOException("cannot read vectors from " + db + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(db + " holds no active vectors of " + model);
    }
    return out;
  }

  private static List<VectorEntry> embedCorpus(List<NewMemory> memories, Embedder embedder) {
    int size = memories.size();
    List<VectorEntry> entries = new ArrayList<>(size);
    for (int from = 0; from < size; from += 256) {
      List<NewMemory> chunk = memories.subList(from, Math.min(size, from + 256));
      List<float[]> vectors = embedder.embed(chunk.stream().map(NewMemory::content).toList());
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(
            new VectorEntry(
                from + i + 1,
                normalised(vectors.get(i)),
                "default",
                chunk.get(i).identifier(),
                MemoryStatus.ACTIVE));
      }
    }
    return entries;
  }

  private static void runWith(
      List<VectorEntry> entries,
      List<float[]> queryVectors,
      int size,
      int k,
      JVectorIndex.Params params,
      List<Integer> sweep,
      int searchBeam,
      Embedder embedder)
      throws IOException {

    int dimension = embedder.dimension();
    ExactVectorIndex exact = new ExactVectorIndex(dimension);
    exact.upsertAll(entries);
    memory("before the graph");
    long b0 = System.nanoTime();
    JVectorIndex ann = new JVectorIndex(dimension, params);
    for (int from = 0; from < size; from += 4096) {
      ann.upsertAll(entries.subList(from, Math.min(size, from + 4096)));
    }
    double buildSeconds = (System.nanoTime() - b0) / 1e9;
    ann.setSearchBeam(searchBeam);
    System.out.printf(
        "graph build %.1f s (%.0f vectors/s on %d threads)%n",
        buildSeconds, size / buildSeconds, Runtime.getRuntime().availableProcessors());
    memory("after the graph (exact index and graph index both held)");
    entries = null;

    VectorFilter all = new VectorFilter("default", null, Set.of(MemoryStatus.ACTIVE), null);
    report("namespace only", exact, ann, queryVectors, k, q -> all);
    report(
        "identifier (1%)",
        exact,
        ann,
        queryVectors,
        k,
        q ->
            new VectorFilter("default", "subject-" + (q % 100), Set.of(MemoryStatus.ACTIVE), null));

    for (int beam : sweep) {
      ann.setSearchBeam(beam);
      report("namespace only, beam " + beam, exact, ann, queryVectors, k, q -> all);
    }
    ann.setSearchBeam(searchBeam);

    Path dir = Files.createTempDirectory("annrecall");
    Path file = dir.resolve("memory.sqlite.ann");
    AnnSideFile.Header header = new AnnSideFile.Header("bench", embedder.id(), dimension, 1, size);
    long s0 = System.nanoTime();
    AnnSideFile.write(file, header, ann);
    long saveMs = (System.nanoTime() - s0) / 1_000_000;
    long bytes = Files.size(file);
    ann.close();
    long l0 = System.nanoTime();
    AnnSideFile.Loaded loaded = AnnSideFile.load(file, header);
    long loadMs = (System.nanoTime() - l0) / 1_000_000;
    System.out.printf(
        "side-file %.1f MiB: save %d ms, load %d ms (%s)%n",
        bytes / 1048576.0,
        saveMs,
        loadMs,
        loaded instanceof AnnSideFile.Loaded.Index ? "loaded" : loaded);
    if (loaded instanceof AnnSideFile.Loaded.Index index) {
      report("namespace only, reloaded", exact, index.index(), queryVectors, k, q -> all);
      index.index().close();
    }
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
    exact.close();
  }

  private interface FilterFor {
    VectorFilter of(int query);
  }

  private static void report(
      String label,
      VectorIndex exact,
      VectorIndex ann,
      List<float[]> queries,
      int k,
      FilterFor filters) {
    // Warm both paths first; the JIT compiles the scans within a few hundred searches.
    for (int round = 0; round < 2; round++) {
      for (int q = 0; q < Math.min(200, queries.size()); q++) {
        exact.search(queries.get(q), k, filters.of(q));
        ann.search(queries.get(q), k, filters.of(q));
      }
    }
    Latencies exactTimes = new Latencies();
    Latencies annTimes = new Latencies();
    long found = 0;
    long wanted = 0;
    for (int q = 0; q < queries.size(); q++) {
      VectorFilter filter = filters.of(q);
      long t = System.nanoTime();
      List<VectorHit> truth = exact.search(queries.get(q), k, filter);
      exactTimes.add(System.nanoTime() - t);
      t = System.nanoTime();
      List<VectorHit> hits = ann.search(queries.get(q), k, filter);
      annTimes.add(System.nanoTime() - t);
      Set<Long> keys = new HashSet<>();
      truth.forEach(h -> keys.add(h.key()));
      // A hit whose cosine ties the k-th true one counts as found (equal vectors, equal texts).
      float kth = truth.isEmpty() ? Float.POSITIVE_INFINITY : truth.get(truth.size() - 1).cosine();
      for (VectorHit h : hits) {
        if (keys.contains(h.key()) || h.cosine() >= kth - 1e-6f) {
          found++;
        }
      }
      wanted += truth.size();
    }
    System.out.printf(
        "%-26s recall@%d %.4f | exact p50 %.3f p95 %.3f p99 %.3f ms | ann p50 %.3f p95 %.3f p99"
            + " %.3f ms%n",
        label,
        k,
        wanted == 0 ? 1.0 : (double) found / wanted,
        exactTimes.percentileMs(50),
        exactTimes.percentileMs(95),
        exactTimes.percentileMs(99),
        annTimes.percentileMs(50),
        annTimes.percentileMs(95),
        annTimes.percentileMs(99));
  }

  private static void memory(String when) {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    long heap = rt.totalMemory() - rt.freeMemory();
    String rss = "?";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = line.substring(6).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    System.out.printf("memory %s: heap used %d MiB, RSS %s%n", when, heap >> 20, rss);
  }

  private static float[] normalised(float[] v) {
    double norm = 0;
    for (float c : v) {
      norm += (double) c * c;
    }
    float[] out = new float[v.length];
    double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
    for (int d = 0; d < v.length; d++) {
      out[d] = (float) (v[d] * scale);
    }
    return out;
  }
}
