package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.hotmem.HotMem;
import dev.hotmem.HotMemJson;
import dev.hotmem.NewMemory;
import dev.hotmem.embed.HashEmbedder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real binary: the mismatch error, reindex, and a reindex killed with SIGKILL resumed. */
class ReindexIT {
  private static final ObjectMapper JSON = HotMemJson.newMapper();

  @TempDir Path dir;

  @Test
  void theMismatchErrorAndReindexThroughTheBinary() throws Exception {
    String db = dir.resolve("store.sqlite").toString();
    assertThat(Binary.hotmem(dir, "add", "--db", db, "the cat sleeps on the sofa").exit()).isZero();

    Binary.Result mismatch =
        Binary.hotmem(dir, "search", "--db", db, "--embedder", "hash:32", "cat");
    assertThat(mismatch.exit()).isEqualTo(1);
    assertThat(mismatch.out()).isEmpty();
    assertThat(mismatch.errLines()).hasSize(1);
    assertThat(mismatch.errLines().get(0))
        .startsWith("hotmem: error: incompatible store: ")
        .contains("was created with embedder hash-v1-64 (dimension 64, spec hash)")
        .contains("configured with hash-v1-32 (dimension 32, spec hash:32)")
        .contains("run 'hotmem reindex --embedder hash:32' to convert it")
        .contains("or open it with '--embedder hash'");

    Binary.Result reindex = Binary.hotmem(dir, "reindex", "--db", db, "--embedder", "hash:32");
    assertThat(reindex.exit()).as(reindex.err()).isZero();
    assertThat(reindex.err()).isEmpty(); // no progress bar without a terminal
    assertThat(reindex.out())
        .startsWith("reindexed ")
        .contains(": 1 memories from hash-v1-64 to hash-v1-32 (1 embedded, 0 kept");
    Binary.Result search = Binary.hotmem(dir, "search", "--db", db, "--json", "cat");
    assertThat(search.exit()).as(search.err()).isZero();
    assertThat(JSON.readTree(search.out()).get("memories")).hasSize(1);
    Binary.Result status = Binary.hotmem(dir, "status", "--db", db, "--json");
    assertThat(JSON.readTree(status.out()).get("embedder_spec").asText()).isEqualTo("hash:32");
  }

  @Test
  void aReindexKilledMidwayLeavesTheOldStoreAndTheNextRunResumes() throws Exception {
    Path db = dir.resolve("big.sqlite");
    int rows = 60;
    try (HotMem mem = HotMem.open(db)) {
      mem.rememberAll(
          IntStream.range(0, rows)
              .mapToObj(
                  i -> NewMemory.builder("t", "memory " + i + " of the killed reindex").build())
              .toList());
    }
    AtomicInteger requests = new AtomicInteger();
    AtomicLong delayMillis = new AtomicLong(400);
    HttpServer server = embeddingServer(requests, delayMillis);
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    List<String> command =
        Binary.javaJar(
            "reindex",
            "--db",
            db.toString(),
            "--embedder",
            "openai:m",
            "--embedder-url",
            url,
            "--batch-size",
            "5",
            "--json");
    try {
      try (Binary.Child child = Binary.start(dir, command, Map.of())) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // The probe, then batches 1..3: by the time batch 3 is asked for, 1 and 2 are written.
        while (requests.get() < 4 && System.nanoTime() < deadline && child.process.isAlive()) {
          Thread.sleep(20);
        }
        assertThat(child.process.isAlive()).as("still reindexing; err: %s", child.err()).isTrue();
        child.process.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback by us
        child.process.waitFor();
      }
      assertThat(HotMem.recordedEmbedder(db).orElseThrow()).hasToString("hash");
      assertThat(models(db)).containsOnly("hash-v1-64");
      try (HotMem mem = HotMem.open(db)) {
        assertThat(mem.count()).isEqualTo(rows);
      }

      delayMillis.set(0);
      Binary.Result again = Binary.run(dir, command, Map.of());
      assertThat(again.exit()).as(again.err()).isZero();
      JsonNode result = JSON.readTree(again.out());
      assertThat(result.get("total").asLong()).isEqualTo(rows);
      assertThat(result.get("resumed").asLong()).isGreaterThanOrEqualTo(10);
      assertThat(result.get("resumed").asLong() + result.get("reembedded").asLong())
          .isEqualTo(rows);
      assertThat(result.get("embedder").asText()).isEqualTo("openai-m-16");
      assertThat(models(db)).containsOnly("openai-m-16");
      assertVectorsAreFreshEmbeddings(db, new HashEmbedder(16));
    } finally {
      server.stop(0);
    }
  }

  private static List<String> models(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT embedding_model FROM memories")) {
      List<String> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private static void assertVectorsAreFreshEmbeddings(Path db, HashEmbedder e) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT content, embedding FROM memories")) {
      int n = 0;
      while (rs.next()) {
        float[] stored = new float[e.dimension()];
        java.nio.ByteBuffer.wrap(rs.getBytes(2))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer()
            .get(stored);
        // What a fresh store holds: the server's vector, L2-normalised by the engine.
        float[] fresh = e.embed(rs.getString(1));
        dev.hotmem.internal.store.VectorCodec.normalize(fresh);
        assertThat(stored).as(rs.getString(1)).isEqualTo(fresh);
        n++;
      }
      assertThat(n).isPositive();
    }
  }

  /** An OpenAI-compatible server answering with 16-dimension hash vectors, after a delay. */
  private static HttpServer embeddingServer(AtomicInteger requests, AtomicLong delayMillis)
      throws IOException {
    HashEmbedder vectors = new HashEmbedder(16);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/v1/embeddings",
        exchange -> {
          try (exchange) {
            requests.incrementAndGet();
            JsonNode in = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Thread.sleep(delayMillis.get());
            ObjectNode root = JSON.createObjectNode();
            ArrayNode data = root.putArray("data");
            for (int i = 0; i < in.get("input").size(); i++) {
              ArrayNode v = data.addObject().put("index", i).putArray("embedding");
              for (float x : vectors.embed(in.get("input").get(i).asText())) {
                v.add(x);
              }
            }
            byte[] body = JSON.writeValueAsBytes(root);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
    return server;
  }
}
