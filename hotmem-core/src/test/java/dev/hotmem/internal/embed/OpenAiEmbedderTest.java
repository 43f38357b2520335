package dev.hotmem.internal.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.HotMemException;
import dev.hotmem.NewMemory;
import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.Embedders;
import dev.hotmem.internal.embed.FakeEmbeddingServer.Answer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAI-compatible embedder against a real HTTP server on loopback that speaks the protocol.
 */
class OpenAiEmbedderTest {
  private static final int DIM = 16;
  private static final String KEY = "sk-test-secret-0123456789";

  private FakeEmbeddingServer server;
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws IOException {
    server = new FakeEmbeddingServer(DIM);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Map<String, String> settings(String... pairs) {
    Map<String, String> m = new HashMap<>();
    m.put("base_url", server.baseUrl());
    m.put("dimension", Integer.toString(DIM));
    m.put("max_retries", "3");
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** An embedder whose retry waits are recorded, not slept. */
  private Embedder embedder(String... pairs) {
    return OpenAiEmbedder.create(OpenAiSettings.parse("fake-model", settings(pairs)), sleeps::add);
  }

  private HotMemException.EmbeddingFailed failure(Embedder e, String text) {
    try {
      e.embed(List.of(text));
    } catch (HotMemException.EmbeddingFailed f) {
      return f;
    }
    throw new AssertionError("expected embedding_failed");
  }

  @Test
  void embedsInBatchesInInputOrderWithTheProtocolsRequest() {
    Embedder e = embedder("batch_size", "3", "api_key", KEY);
    List<String> texts = IntStream.range(0, 7).mapToObj(i -> "text number " + i).toList();
    List<float[]> vectors = e.embed(texts);
    assertThat(vectors).hasSize(7);
    for (int i = 0; i < 7; i++) {
      assertThat(vectors.get(i)).as("vector %d", i).isEqualTo(server.expected(texts.get(i)));
    }
    List<FakeEmbeddingServer.Received> got = server.received();
    assertThat(got).hasSize(3); // 3 + 3 + 1, no probe (the dimension was given)
    assertThat(got.get(0).inputs()).containsExactlyElementsOf(texts.subList(0, 3));
    assertThat(got.get(2).inputs()).containsExactly("text number 6");
    assertThat(got.get(0).path()).isEqualTo("/v1/embeddings");
    assertThat(got.get(0).body().get("model").asText()).isEqualTo("fake-model");
    assertThat(got.get(0).body().get("encoding_format").asText()).isEqualTo("float");
    assertThat(got.get(0).authorization()).isEqualTo("Bearer " + KEY);
    assertThat(e.embed(List.of())).isEmpty();
    assertThat(server.received()).hasSize(3);
  }

  @Test
  void withoutAKeyNoAuthorizationIsSent() {
    embedder().embed("hello");
    assertThat(server.received().get(0).authorization()).isNull();
  }

  @Test
  void learnsTheDimensionFromOneProbeAndNamesItselfByModelAndDimension() {
    Map<String, String> s = settings();
    s.remove("dimension");
    Embedder e = Embedders.create("openai:fake-model", s); // found through ServiceLoader
    assertThat(e).isInstanceOf(OpenAiEmbedder.class);
    assertThat(server.received()).hasSize(1);
    assertThat(e.dimension()).isEqualTo(DIM);
    assertThat(e.id()).isEqualTo("openai-fake-model-16");
    assertThat(e.spec()).isEqualTo("openai:fake-model");
    assertThat(Embedders.create("openai", settings()).spec())
        .isEqualTo("openai:text-embedding-3-small");
    assertThat(Embedders.providers()).containsKey("openai");
  }

  @Test
  void aGivenDimensionThatTheServerDoesNotGiveIsAnError() {
    Embedder e = embedder("dimension", "8");
    assertThat(failure(e, "x").getMessage())
        .contains("expected embeddings of dimension 8, found 16")
        .contains("openai:fake-model at " + server.baseUrl() + "/embeddings");
  }

  @Test
  void retriesA429HonouringRetryAfterThenSucceeds() {
    Embedder e = embedder();
    server.then(
        Answer.of(429, "{\"error\":{\"message\":\"Rate limit reached\"}}")
            .withHeader("Retry-After", "2"));
    assertThat(e.embed("after the rate limit")).isEqualTo(server.expected("after the rate limit"));
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    assertThat(server.received()).hasSize(2);
  }

  @Test
  void retries5xxWithGrowingBoundedBackoff() {
    Embedder e = embedder();
    server.then(Answer.of(503, "overloaded"));
    server.then(Answer.of(502, "<html>bad gateway</html>"));
    server.then(Answer.of(500, "{}"));
    assertThat(e.embed("finally")).isEqualTo(server.expected("finally"));
    assertThat(sleeps).hasSize(3);
    for (int i = 0; i < 3; i++) {
      long max = Math.min(10_000, 500L << i);
      assertThat(sleeps.get(i).toMillis()).as("wait %d", i).isBetween(max / 2, max);
    }
  }

  @Test
  void givesUpAfterMaxRetriesNamingTheLastFailure() {
    Embedder e = embedder("max_retries", "2");
    for (int i = 0; i < 3; i++) {
      server.then(Answer.of(500, "{\"error\":{\"message\":\"CUDA out of memory\"}}"));
    }
    assertThat(failure(e, "x").getMessage())
        .contains("HTTP 500: CUDA out of memory")
        .contains("after 3 attempts");
    assertThat(server.received()).hasSize(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void aRetryAfterLongerThanAMinuteFailsAtOnce() {
    Embedder e = embedder();
    server.then(Answer.of(429, "{\"error\":\"slow down\"}").withHeader("Retry-After", "3600"));
    assertThat(failure(e, "x").getMessage())
        .contains("HTTP 429: slow down")
        .contains("retry after 3600 s");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void clientErrorsAreFinalAndCarryTheServersMessageButNeverTheKey() {
    Embedder e = embedder("api_key", KEY);
    server.then(
        Answer.of(
            401,
            "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}"));
    HotMemException.EmbeddingFailed f = failure(e, "x");
    assertThat(f.getMessage())
        .contains("HTTP 401: Incorrect API key provided")
        .contains("--embedder-key")
        .doesNotContain(KEY);
    assertThat(f.errorCode().code()).isEqualTo("embedding_failed");
    assertThat(server.received()).hasSize(1);
    assertThat(e.toString()).doesNotContain(KEY);

    server.then(Answer.of(404, "{\"error\":\"model \\\"nomic\\\" not found, try pulling it\"}"));
    assertThat(failure(e, "x").getMessage())
        .contains("HTTP 404: model \"nomic\" not found")
        .contains("--embedder-url");
    server.then(Answer.of(401, "{\"error\": \"bad key " + KEY + "\"}"));
    assertThat(failure(e, "x").getMessage()).contains("bad key ***").doesNotContain(KEY);
    server.then(Answer.of(400, "plain text\nwith a newline"));
    assertThat(failure(e, "x").getMessage())
        .contains("HTTP 400 (starts with 'plain text?with a newline')");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void hostileAnswersAreClearErrorsNotRetried() {
    Embedder e = embedder();
    String vector = "[" + String.join(",", Collections.nCopies(DIM, "0.5")) + "]";
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("<html>oops</html>", "not JSON");
    cases.put("{\"data\": [", "not JSON");
    cases.put("[1, 2]", "not a JSON object");
    cases.put("{\"object\": \"list\"}", "no \"data\" array");
    cases.put("{\"error\": {\"message\": \"boom\"}}", "no \"data\" array: boom");
    cases.put("{\"data\": []}", "expected 1 embeddings, found 0");
    cases.put(
        "{\"data\": [{\"index\":0,\"embedding\":"
            + vector
            + "},{\"index\":1,\"embedding\":"
            + vector
            + "}]}",
        "expected 1 embeddings, found 2");
    cases.put("{\"data\": [{\"index\":0,\"embedding\":[0.5, 0.5]}]}", "dimension 16, found 2");
    cases.put("{\"data\": [{\"index\":0,\"embedding\":[]}]}", "dimension 16, found 0");
    cases.put("{\"data\": [{\"index\":3,\"embedding\":" + vector + "}]}", "outside 0..0");
    cases.put(
        "{\"data\": [{\"index\":\"zero\",\"embedding\":" + vector + "}]}", "not a whole number");
    cases.put("{\"data\": [{\"index\":0,\"embedding\":\"AAAA\"}]}", "base64");
    cases.put(
        "{\"data\": [{\"index\":0,\"embedding\":" + vector.replaceFirst("0\\.5", "NaN") + "}]}",
        "not JSON");
    cases.put(
        "{\"data\": [{\"index\":0,\"embedding\":" + vector.replaceFirst("0\\.5", "1e999") + "}]}",
        "not a finite float");
    cases.put(
        "{\"data\": [{\"index\":0,\"embedding\":" + vector.replaceFirst("0\\.5", "1e39") + "}]}",
        "not a finite float");
    cases.put(
        "{\"data\": [{\"index\":0,\"embedding\":" + vector.replaceFirst("0\\.5", "\"x\"") + "}]}",
        "embedding[0] is not a number");
    cases.put("", "(empty body)");
    cases.forEach(
        (body, expected) -> {
          server.then(Answer.of(200, body));
          assertThat(failure(e, "x").getMessage()).as(body).contains(expected);
        });
    assertThat(sleeps).isEmpty();
    assertThat(server.received()).hasSize(cases.size());
  }

  @Test
  void aRepeatedIndexIsAnError() {
    Embedder e = embedder();
    String vector = "[" + String.join(",", Collections.nCopies(DIM, "0.25")) + "]";
    server.then(
        Answer.of(
            200,
            "{\"data\": [{\"index\":1,\"embedding\":"
                + vector
                + "},{\"index\":1,\"embedding\":"
                + vector
                + "}]}"));
    assertThatThrownBy(() -> e.embed(List.of("a", "b")))
        .isInstanceOf(HotMemException.EmbeddingFailed.class)
        .hasMessageContaining("index 1 appears twice");
  }

  @Test
  void aHugeBodyIsCutOff() {
    Embedder e = embedder();
    long limit = OpenAiClient.bodyLimit(1, DIM);
    byte[] huge = new byte[(int) limit + 100_000];
    java.util.Arrays.fill(huge, (byte) ' ');
    server.then(Answer.of(200, in -> huge));
    assertThat(failure(e, "x").getMessage()).contains("larger than " + limit + " bytes");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aSlowServerTimesOut() {
    Embedder e = embedder("timeout_ms", "300", "max_retries", "1");
    server.then(Answer.of(200, server::correct).delayed(3_000));
    server.then(Answer.of(200, server::correct).stalledBody(3_000));
    long start = System.nanoTime();
    assertThat(failure(e, "x").getMessage())
        .contains("no complete answer within 300 ms")
        .contains("after 2 attempts");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void anUnreachableServerIsRetriedThenReported() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Embedder e =
        OpenAiEmbedder.create(
            OpenAiSettings.parse(
                "m",
                Map.of(
                    "base_url", "http://127.0.0.1:" + port + "/v1",
                    "dimension", "4",
                    "max_retries", "2")),
            sleeps::add);
    assertThat(failure(e, "x").getMessage())
        .contains("cannot reach the server")
        .contains("after 3 attempts");
    assertThat(sleeps).hasSize(2);
    // Without a dimension, creating it already fails the same way.
    assertThatThrownBy(
            () ->
                Embedders.create(
                    "openai:m",
                    Map.of("base_url", "http://127.0.0.1:" + port + "/v1", "max_retries", "0")))
        .isInstanceOf(HotMemException.EmbeddingFailed.class)
        .hasMessageContaining("retries are off");
  }

  @Test
  void invalidSettingsAreRefusedNamingTheSetting() {
    String[][] bad = {
      {"base_url", "localhost:11434"},
      {"base_url", "ftp://example.com/v1"},
      {"base_url", "http://"},
      {"base_url", "http://h/v1?x=1"},
      {"base_url", "http://user:pw@h/v1"},
      {"base_url", "http://h/ v1"},
      {"batch_size", "0"},
      {"batch_size", "5000"},
      {"timeout_ms", "abc"},
      {"timeout_ms", "-5"},
      {"dimension", "99999999999"},
      {"max_retries", "11"},
    };
    for (String[] b : bad) {
      assertThatThrownBy(() -> Embedders.create("openai:m", Map.of(b[0], b[1])))
          .as(b[0] + "=" + b[1])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(b[0].equals("base_url") ? "base URL" : b[0]);
    }
    assertThatThrownBy(() -> Embedders.create("openai:m", Map.of("api_key", KEY + "\r\nX-Evil: 1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control characters")
        .satisfies(t -> assertThat(t.getMessage()).doesNotContain(KEY));
    assertThat(OpenAiSettings.parse("m", Map.of("api_key", KEY)).toString())
        .doesNotContain(KEY)
        .contains("api_key=(set)");
    assertThat(OpenAiSettings.parse("m", Map.of("base_url", "http://h:1/v1///")).endpoint())
        .hasToString("http://h:1/v1/embeddings");
  }

  @Test
  void aStoreWorksThroughItAndRecordsItsSpec(@TempDir Path dir) {
    Embedder e = embedder("batch_size", "4");
    Path db = dir.resolve("openai.sqlite");
    try (HotMem mem = HotMem.open(HotMemConfig.builder(db).embedder(e).build())) {
      List<NewMemory> batch =
          IntStream.range(0, 10)
              .mapToObj(
                  i -> NewMemory.builder("topic" + i, "a remembered fact number " + i).build())
              .toList();
      mem.rememberAll(batch);
      assertThat(mem.recall("remembered fact number 7").memories()).isNotEmpty();
      assertThat(mem.info().embedderId()).isEqualTo("openai-fake-model-16");
      assertThat(mem.info().embedderSpec()).isEqualTo("openai:fake-model");
    }
    assertThat(HotMem.recordedEmbedder(db).orElseThrow().toString()).isEqualTo("openai:fake-model");
    // 10 texts in batches of 4 (the engine's batch of 256 is split again), then the query.
    assertThat(server.received().stream().mapToInt(r -> r.inputs().size()))
        .containsExactly(4, 4, 2, 1);
  }
}
