package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotmem.HotMemJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hotmem serve} as a real process: HTTP, status --url, SIGTERM, temp stores, mounts. */
class ServeIT {
  private static final ObjectMapper JSON = HotMemJson.newMapper();
  private static final Duration START = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  private Binary.Child serve(String... args) throws Exception {
    return Binary.start(dir, Binary.javaJar(args), Map.of());
  }

  private static String awaitServing(Binary.Child child) throws Exception {
    String line = child.awaitLine(l -> l.startsWith("hotmem: serving "), START);
    return line.substring(line.lastIndexOf(' ') + 1);
  }

  private static JsonNode post(String url, String path, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s %s -> %s", path, body, r.body()).isBetween(200, 201);
    return JSON.readTree(r.body());
  }

  private static JsonNode get(String url, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s -> %s", path, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** SIGTERM (Process.destroy on Unix), then the exit within a bound. */
  private static Binary.Result terminate(Binary.Child child) throws Exception {
    child.process.destroy();
    return child.await(Duration.ofSeconds(30));
  }

  @Test
  void serveMountAnswersHttpAndRefreshesItsFilesOnSigterm() throws Exception {
    Path mount = dir.resolve("mount");
    int port = Binary.freePort();
    Instant started = Instant.now();
    try (Binary.Child server = serve("serve", "--mount", mount.toString(), "--port", "" + port)) {
      String url = awaitServing(server);
      assertThat(url).isEqualTo("http://127.0.0.1:" + port);
      assertThat(server.out()).contains("hotmem: serving " + mount + " on " + url);

      assertThat(get(url, "/v1/health").get("status").asText()).isEqualTo("ok");
      String id =
          post(
                  url,
                  "/v1/add",
                  "{\"identifier\": \"vendor_x\", \"fact\": \"Invoice total was $5000\"}")
              .get("memory_id")
              .asText();
      JsonNode found = post(url, "/v1/search", "{\"query\": \"invoice total\", \"top_k\": 5}");
      assertThat(found.get("memories").get(0).get("memory_id").asText()).isEqualTo(id);

      Binary.Result status = Binary.hotmem(dir, "status", "--url", url, "--json");
      assertThat(status.exit()).as("%s", status).isZero();
      JsonNode health = JSON.readTree(status.out());
      assertThat(health.get("memory_count").asLong()).isEqualTo(1);
      assertThat(health.get("db_path").asText()).endsWith("hotmem.sqlite");
      // serve's default embedder is the local model, and status says so.
      assertThat(health.get("embedder_spec").asText()).isEqualTo("local:bge-small-en-v1.5");
      assertThat(health.get("embedder_dimension").asInt()).isEqualTo(384);
      assertThat(health.get("vector_index").get("kind").asText()).isEqualTo("exact");
      assertThat(health.get("vector_index").get("entries").asInt()).isEqualTo(1);

      // Before the stop, swap.jsonl (if any) does not hold the new memory yet.
      Path swap = mount.resolve("swap.jsonl");
      assertThat(Files.exists(swap) ? Files.readString(swap) : "").doesNotContain(id);

      Binary.Result stopped = terminate(server);
      assertThat(stopped.exit()).as("%s", stopped).isZero();
      assertThat(stopped.out()).contains("hotmem: stopped");
      assertThat(Files.readString(swap)).contains(id, "Invoice total was $5000");
      JsonNode manifest = JSON.readTree(mount.resolve("manifest.json").toFile());
      assertThat(manifest.get("memory_count").asLong()).isEqualTo(1);
      assertThat(Instant.parse(manifest.get("updated_at").asText())).isAfter(started);
    }
  }

  /** SIGTERM during a long request: the request finishes, then the mount's files are refreshed. */
  @Test
  void sigtermLetsARequestInFlightFinish() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("mount"));
    int lines = 20_000;
    List<String> batch = new ArrayList<>(lines);
    for (int i = 0; i < lines; i++) {
      batch.add("{\"identifier\": \"bulk\", \"fact\": \"bulk fact number " + i + "\"}");
    }
    Files.write(mount.resolve("bulk.jsonl"), batch);
    int port = Binary.freePort();
    // The hash embedder: this is about shutdown, and 20,000 lines must take seconds, not minutes.
    try (Binary.Child server =
        serve("serve", "--mount", mount.toString(), "--port", "" + port, "--embedder", "hash")) {
      String url = awaitServing(server);
      var hydrate =
          HTTP.sendAsync(
              HttpRequest.newBuilder(URI.create(url + "/v1/hydrate"))
                  .timeout(Duration.ofSeconds(60))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"file\": \"bulk.jsonl\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // Batches commit as they go: a count strictly between 0 and all means it is in flight.
      long seen = 0;
      while (seen == 0 && !hydrate.isDone()) {
        seen = get(url, "/v1/health").get("memory_count").asLong();
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(
          seen > 0 && seen < lines && !hydrate.isDone(),
          "the hydrate finished before it could be seen in flight");
      server.process.destroy();

      HttpResponse<String> answer = hydrate.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(JSON.readTree(answer.body()).get("loaded").asLong()).isEqualTo(lines);
      Binary.Result stopped = server.await(Duration.ofSeconds(30));
      assertThat(stopped.exit()).as("%s", stopped).isZero();
      assertThat(Files.readAllLines(mount.resolve("swap.jsonl"))).hasSize(lines);
      JsonNode manifest = JSON.readTree(mount.resolve("manifest.json").toFile());
      assertThat(manifest.get("memory_count").asLong()).isEqualTo(lines);
    }
  }

  @Test
  void statusOfAFileWhileItIsServed() throws Exception {
    Path db = dir.resolve("served.sqlite");
    int port = Binary.freePort();
    try (Binary.Child server = serve("serve", "--db", db.toString(), "--port", "" + port)) {
      String url = awaitServing(server);
      post(url, "/v1/add", "{\"identifier\": \"a\", \"fact\": \"written over http\"}");
      Binary.Result status = Binary.hotmem(dir, "status", "--db", db.toString(), "--json");
      assertThat(status.exit()).as("%s", status).isZero();
      assertThat(JSON.readTree(status.out()).get("memory_count").asLong()).isEqualTo(1);
      Binary.Result list = Binary.hotmem(dir, "list", "--url", url, "--json");
      assertThat(list.exit()).as("%s", list).isZero();
      assertThat(JSON.readTree(list.out()).get("memories").get(0).get("content").asText())
          .isEqualTo("written over http");
      assertThat(terminate(server).exit()).isZero();
    }
  }

  @Test
  void scriptingCommandsAgainstATokenProtectedServer() throws Exception {
    Path db = dir.resolve("guarded.sqlite");
    int port = Binary.freePort();
    Map<String, String> token = Map.of("HOTMEM_TOKEN", "s3cret-token");
    try (Binary.Child server =
        Binary.start(
            dir, Binary.javaJar("serve", "--db", db.toString(), "--port", "" + port), token)) {
      String url = awaitServing(server);

      Binary.Result refused = Binary.hotmem(dir, "status", "--url", url);
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.errLines()).singleElement().asString().contains("401", "unauthorized");

      Binary.Result added =
          Binary.run(
              dir,
              Binary.javaJar("add", "--url", url, "-i", "vendor_x", "--json", "Paid by wire"),
              token);
      assertThat(added.exit()).as("%s", added).isZero();
      JsonNode memory = JSON.readTree(added.out());
      String id = memory.get("memory_id").asText();
      assertThat(memory.get("duplicate").asBoolean()).isFalse();

      Binary.Result found =
          Binary.hotmem(dir, "search", "--url", url, "--token", "s3cret-token", "--json", "wire");
      assertThat(found.exit()).as("%s", found).isZero();
      assertThat(JSON.readTree(found.out()).get("memories").get(0).get("memory_id").asText())
          .isEqualTo(id);

      Binary.Result unsupported =
          Binary.run(dir, Binary.javaJar("list", "--url", url, "--category", "x"), token);
      assertThat(unsupported.exit()).isEqualTo(2);
      assertThat(unsupported.errLines()).singleElement().asString().contains("--category");

      Binary.Result forgot = Binary.run(dir, Binary.javaJar("forget", "--url", url, id), token);
      assertThat(forgot.exit()).as("%s", forgot).isZero();
      Binary.Result again = Binary.run(dir, Binary.javaJar("forget", "--url", url, id), token);
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.errLines()).singleElement().asString().contains("404");
      assertThat(terminate(server).exit()).isZero();
    }
  }

  @Test
  void serveWithoutAStoreSaysWhereItsTemporaryStoreIs() throws Exception {
    int port = Binary.freePort();
    try (Binary.Child server = serve("serve", "--port", "" + port)) {
      String line = server.awaitLine(l -> l.startsWith("hotmem: no --mount or --db given"), START);
      String url = awaitServing(server);
      String serving = server.awaitLine(l -> l.startsWith("hotmem: serving "), START);
      Path db = Path.of(serving.substring("hotmem: serving ".length(), serving.indexOf(" on ")));
      assertThat(db).isRegularFile();
      assertThat(line).contains(db.getParent().toString());
      assertThat(get(url, "/v1/health").get("db_path").asText()).isEqualTo(db.toString());
      assertThat(terminate(server).exit()).isZero();
      assertThat(db).as("kept after exit").isRegularFile();
      try (Stream<Path> files = Files.walk(db.getParent())) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  @Test
  void nonLoopbackHostWithoutATokenIsRefused() throws Exception {
    Path db = dir.resolve("x.sqlite");
    Binary.Result r =
        Binary.hotmem(dir, "serve", "--host", "0.0.0.0", "--db", db.toString(), "--port", "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).singleElement().asString().contains("0.0.0.0", "--token");
    assertThat(db).doesNotExist();
  }

  @Test
  void aPortInUseIsARuntimeError() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Binary.Result r =
          Binary.hotmem(
              dir,
              "serve",
              "--db",
              dir.resolve("x.sqlite").toString(),
              "--port",
              "" + taken.getLocalPort());
      assertThat(r.exit()).isEqualTo(1);
      // serve traces to stderr (one JSON line per operation); the error itself is one line.
      assertThat(r.errLines().stream().filter(l -> !l.startsWith("{\"ts\"")))
          .singleElement()
          .asString()
          .startsWith("hotmem: error: ")
          .contains("" + taken.getLocalPort());
    }
  }

  /** The mount test: a copied mount, served elsewhere, gives the same answers. */
  @Test
  void aCopiedMountServedElsewhereGivesTheSameAnswers() throws Exception {
    Path original = dir.resolve("original");
    List<String> seed = new ArrayList<>();
    String[] subjects = {"vendor_x", "vendor_y", "user"};
    String[] facts = {
      "Invoice total was $5000, paid twice in March",
      "Vendor asked to be paid by wire transfer",
      "The user prefers short answers in bullet points",
      "Shipping from the Rotterdam warehouse takes four days",
      "Duplicate invoices were flagged by the auditor",
      "The contract renews every January"
    };
    for (int i = 0; i < 60; i++) {
      seed.add(
          "{\"identifier\": \""
              + subjects[i % 3]
              + "\", \"fact\": \""
              + facts[i % facts.length]
              + " (note "
              + i
              + ")\"}");
    }
    Path seedFile = Files.write(dir.resolve("seed.jsonl"), seed);
    Binary.Result loaded =
        Binary.hotmem(
            dir, "hydrate", "--mount", original.toString(), "--file", seedFile.toString());
    assertThat(loaded.exit()).as("%s", loaded).isZero();

    Path copy = dir.resolve("usb-stick").resolve("hotmem");
    copyTree(original, copy);

    List<String> queries =
        List.of("duplicate invoice risk", "wire transfer", "bullet points", "warehouse days");
    List<JsonNode> fromOriginal = searchAll(original, queries);
    List<JsonNode> fromCopy = searchAll(copy, queries);
    for (int q = 0; q < queries.size(); q++) {
      assertThat(fromOriginal.get(q).size()).as(queries.get(q)).isPositive();
      assertThat(fromCopy.get(q)).as(queries.get(q)).isEqualTo(fromOriginal.get(q));
    }

    // A copy of only swap.jsonl + manifest.json (no database) is loaded and answers the same.
    Path swapOnly = dir.resolve("swap-only");
    Files.createDirectories(swapOnly);
    Files.copy(original.resolve("swap.jsonl"), swapOnly.resolve("swap.jsonl"));
    Files.copy(original.resolve("manifest.json"), swapOnly.resolve("manifest.json"));
    List<JsonNode> fromSwap = searchAll(swapOnly, queries);
    for (int q = 0; q < queries.size(); q++) {
      assertThat(ids(fromSwap.get(q))).as(queries.get(q)).isEqualTo(ids(fromOriginal.get(q)));
    }
  }

  /** Serves {@code mount}, asks each query once, stops; memory ids, contents and scores. */
  private List<JsonNode> searchAll(Path mount, List<String> queries) throws Exception {
    List<JsonNode> answers = new ArrayList<>();
    int port = Binary.freePort();
    try (Binary.Child server = serve("serve", "--mount", mount.toString(), "--port", "" + port)) {
      String url = awaitServing(server);
      for (String q : queries) {
        JsonNode r = post(url, "/v1/search", "{\"query\": \"" + q + "\", \"top_k\": 5}");
        var results = JSON.createArrayNode();
        for (JsonNode m : r.get("memories")) {
          results
              .addObject()
              .put("memory_id", m.get("memory_id").asText())
              .put("content", m.get("content").asText())
              .put("score", Math.round(m.get("score").asDouble() * 1e4) / 1e4);
        }
        answers.add(results);
      }
      assertThat(terminate(server).exit()).isZero();
    }
    return answers;
  }

  private static List<String> ids(JsonNode results) {
    List<String> ids = new ArrayList<>();
    results.forEach(m -> ids.add(m.get("memory_id").asText()));
    return ids;
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
