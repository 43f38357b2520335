package dev.hotmem.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the client sends and how it reads answers, against {@link FakeServer}. */
class HotMemClientTest {
  private static final String MEMORY =
      """
      {"memory_id": "01KAT0000000000000000000AA", "namespace": "default", "identifier": "vendor_x",
       "content": "Invoice total was $5000", "kind": "fact", "importance": 0.8, "category": null,
       "scope": null, "source": "email", "metadata": {"a": 1, "b": null, "c": [true, "x"]},
       "content_hash": "ab12", "created_at": "2026-11-24T07:41:02.118Z",
       "updated_at": "2026-11-24T07:41:02.118Z", "last_accessed_at": null, "access_count": 3,
       "expires_at": null, "status": "active", "superseded_by": null\
      """;

  private FakeServer server;
  private HotMemClient client;

  @BeforeEach
  void start() throws IOException {
    server = new FakeServer();
    client = HotMemClient.create(server.url());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static JsonNode json(String text) throws IOException {
    return Wire.MAPPER.readTree(text);
  }

  @Test
  void healthReadsTheAnswerAndIgnoresUnknownFields() {
    server.answer(
        200,
        """
        {"status": "ok", "memory_count": 42, "db_path": "/tmp/x.sqlite", "uptime_s": 120.5,
         "version": "0.1.0", "trace_ms": 0.1, "new_field": {"nested": [1, 2]}}""");
    Health health = client.health();
    assertThat(health).isEqualTo(new Health("ok", 42, "/tmp/x.sqlite", 120.5, "0.1.0", null, null));
    assertThat(health.ok()).isTrue();
    assertThat(server.last().method()).isEqualTo("GET");
    assertThat(server.last().rawPath()).isEqualTo("/v1/health");
    assertThat(server.last().header("Accept")).isEqualTo("application/json");
    assertThat(server.last().header("Authorization")).isNull();
  }

  @Test
  void healthReadsTheVectorIndex() {
    server.answer(
        200,
        """
        {"status": "ok", "memory_count": 7, "vector_index": {"kind": "graph", "entries": 120000,
         "building": false, "search_beam": 135}}""");
    assertThat(client.health().vectorIndex())
        .isEqualTo(new Health.VectorIndex("graph", 120_000, false, 135));
  }

  @Test
  void healthWithAbsentFieldsReadsDefaults() {
    server.answer(200, "{\"status\": \"ok\"}");
    assertThat(client.health()).isEqualTo(new Health("ok", 0, null, 0.0, null, null, null));
  }

  @Test
  void addSendsOnlyTheGivenFieldsInSnakeCase() throws IOException {
    server.answer(201, MEMORY + ", \"duplicate\": false}");
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("k", null);
    metadata.put("n", 2);
    AddResult result =
        client.add(
            AddRequest.builder("vendor_x", "Invoice total was $5000")
                .importance(0.8)
                .ttlSeconds(60)
                .metadata(metadata)
                .category("billing")
                .build());
    assertThat(server.last().method()).isEqualTo("POST");
    assertThat(server.last().rawPath()).isEqualTo("/v1/add");
    assertThat(server.last().header("Content-Type")).startsWith("application/json");
    assertThat(json(server.last().bodyText()))
        .isEqualTo(
            json(
                """
                {"identifier": "vendor_x", "fact": "Invoice total was $5000", "importance": 0.8,
                 "metadata": {"k": null, "n": 2}, "ttl_seconds": 60, "category": "billing"}"""));
    assertThat(result.duplicate()).isFalse();
    assertThat(result.memoryId()).isEqualTo("01KAT0000000000000000000AA");
    StoredMemory memory = result.memory();
    assertThat(memory.identifier()).isEqualTo("vendor_x");
    assertThat(memory.importance()).isEqualTo(0.8);
    assertThat(memory.source()).isEqualTo("email");
    assertThat(memory.createdAt()).isEqualTo(Instant.parse("2026-11-24T07:41:02.118Z"));
    assertThat(memory.lastAccessedAt()).isNull();
    assertThat(memory.accessCount()).isEqualTo(3);
    assertThat(memory.status()).isEqualTo("active");
    assertThat(memory.metadata()).containsEntry("a", 1).containsEntry("b", null);
    assertThat(memory.metadata().get("c")).isEqualTo(List.of(true, "x"));
    assertThatThrownBy(() -> memory.metadata().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void addReportsADuplicate() {
    server.answer(200, MEMORY + ", \"duplicate\": true}");
    assertThat(client.add("vendor_x", "Invoice total was $5000").duplicate()).isTrue();
  }

  @Test
  void addWithoutADuplicateFieldTakesTheStatus() {
    server.answer(200, MEMORY + "}");
    assertThat(client.add("vendor_x", "x").duplicate()).isTrue();
    server.answer(201, MEMORY + "}");
    assertThat(client.add("vendor_x", "x").duplicate()).isFalse();
  }

  @Test
  void nonAsciiTextTravelsAsUtf8() throws IOException {
    server.answer(201, MEMORY + "}");
    String fact = "Füße 🦶 — \"quoted\" \\ \u2028 日本語";
    client.add("ünïcode", fact);
    JsonNode sent = json(server.last().bodyText());
    assertThat(sent.get("fact").asText()).isEqualTo(fact);
    assertThat(sent.get("identifier").asText()).isEqualTo("ünïcode");
  }

  @Test
  void addBatchSendsTheMemoriesAndReadsTheIds() throws IOException {
    server.answer(
        200,
        """
        {"memory_ids": ["01A", "01B"], "duplicate": [false, true], "count": 2, "added": 1,
         "duplicates": 1, "trace_ms": 1.5, "x": 1}""");
    BatchResult result =
        client.addBatch(
            List.of(
                AddRequest.of("a", "one"), AddRequest.builder("b", "two").namespace("n").build()));
    assertThat(server.last().rawPath()).isEqualTo("/v1/add/batch");
    assertThat(json(server.last().bodyText()))
        .isEqualTo(
            json(
                """
                {"memories": [{"identifier": "a", "fact": "one"},
                              {"identifier": "b", "fact": "two", "namespace": "n"}]}"""));
    assertThat(result)
        .isEqualTo(new BatchResult(List.of("01A", "01B"), List.of(false, true), 2, 1, 1, 1.5));
  }

  @Test
  void searchSendsEveryFilterAndReadsMessages() throws IOException {
    server.answer(
        200,
        """
        {"memories": [{"role": "system", "content": "Invoice total was $5000",
          "memory_id": "01A", "identifier": "vendor_x", "score": 0.83, "namespace": "default",
          "kind": "fact", "category": null, "scope": null, "created_at": "2026-11-24T07:41:02.118Z",
          "truncated": false, "future": "ignored",
          "breakdown": {"bm25": 3.1, "text_rank": 1, "cosine": 0.42, "vector_rank": 2,
                        "fused": 0.91, "importance": 0.8, "recency": 1.0, "access": 0.0,
                        "rerank": 0.5}}],
         "count": 1, "omitted": 2, "trace_ms": 2.1}""");
    SearchResult result =
        client.search(
            SearchRequest.builder("duplicate invoice risk")
                .topK(5)
                .maxChars(1500)
                .maxTokens(300)
                .identifier("vendor_x")
                .namespace("n")
                .category("c")
                .kind("fact")
                .scope("s")
                .status("active", "archived")
                .createdAfter(Instant.parse("2026-01-01T00:00:00Z"))
                .createdBefore(Instant.parse("2027-01-01T00:00:00Z"))
                .minScore(0.1)
                .build());
    assertThat(server.last().rawPath()).isEqualTo("/v1/search");
    assertThat(json(server.last().bodyText()))
        .isEqualTo(
            json(
                """
                {"query": "duplicate invoice risk", "top_k": 5, "max_chars": 1500,
                 "max_tokens": 300, "identifier": "vendor_x", "namespace": "n", "category": "c",
                 "kind": "fact", "scope": "s", "status": ["active", "archived"],
                 "created_after": "2026-01-01T00:00:00Z", "created_before": "2027-01-01T00:00:00Z",
                 "min_score": 0.1}"""));
    assertThat(result.count()).isEqualTo(1);
    assertThat(result.omitted()).isEqualTo(2);
    assertThat(result.traceMs()).isEqualTo(2.1);
    MemoryMessage m = result.memories().get(0);
    assertThat(m.role()).isEqualTo("system");
    assertThat(m.memoryId()).isEqualTo("01A");
    assertThat(m.score()).isEqualTo(0.83);
    assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-11-24T07:41:02.118Z"));
    assertThat(m.breakdown()).isEqualTo(new ScoreBreakdown(3.1, 1, 0.42, 2, 0.91, 0.8, 1.0, 0.0));
  }

  @Test
  void searchWithOnlyAQuerySendsOnlyTheQuery() throws IOException {
    server.answer(200, "{\"memories\": [], \"count\": 0}");
    SearchResult result = client.search("anything");
    assertThat(json(server.last().bodyText())).isEqualTo(json("{\"query\": \"anything\"}"));
    assertThat(result.memories()).isEmpty();
  }

  @Test
  void anAnswerWithoutItsDefiningFieldIsAnInvalidResponse() {
    server.answer(200, "{\"count\": 0, \"memories\": null}");
    assertThatThrownBy(() -> client.search("x"))
        .isInstanceOf(HotMemClientException.InvalidResponse.class)
        .hasMessageContaining("with \"memories\"");
    server.answer(200, "{\"ok\": true}");
    assertThatThrownBy(() -> client.get("01A"))
        .isInstanceOf(HotMemClientException.InvalidResponse.class)
        .hasMessageContaining("with \"memory_id\"");
    assertThatThrownBy(() -> client.add("a", "b"))
        .isInstanceOf(HotMemClientException.InvalidResponse.class);
    assertThatThrownBy(() -> client.snapshot())
        .isInstanceOf(HotMemClientException.InvalidResponse.class);
    server.answer(200, "{\"memories\": \"not a list\"}");
    assertThatThrownBy(() -> client.list())
        .isInstanceOf(HotMemClientException.InvalidResponse.class)
        .hasMessageContaining("MemoryPage");
  }

  @Test
  void listEncodesItsQueryParameters() {
    server.answer(
        200,
        "{\"memories\": ["
            + MEMORY
            + "}], \"count\": 1, \"total\": 7, \"offset\": 5,"
            + " \"limit\": 1, \"trace_ms\": 0.4}");
    MemoryPage page =
        client.list(
            ListRequest.builder()
                .identifier("a b&c=d/é")
                .namespace("n")
                .limit(1)
                .offset(5)
                .ascending()
                .build());
    assertThat(server.last().method()).isEqualTo("GET");
    assertThat(server.last().rawPath()).isEqualTo("/v1/memories");
    assertThat(server.last().rawQuery())
        .isEqualTo("identifier=a%20b%26c%3Dd%2F%C3%A9&namespace=n&limit=1&offset=5&order=asc");
    assertThat(page.count()).isEqualTo(1);
    assertThat(page.total()).isEqualTo(7);
    assertThat(page.memories()).hasSize(1);
    assertThat(page.hasMore()).isTrue();
  }

  @Test
  void listWithDefaultsSendsNoQuery() {
    server.answer(200, "{\"memories\": [], \"count\": 0, \"total\": 0}");
    assertThat(client.list().hasMore()).isFalse();
    assertThat(server.last().rawQuery()).isNull();
  }

  @Test
  void memoryIdsCannotLeaveTheirPathSegment() {
    server.answer(200, MEMORY + "}");
    client.get("01KAT0000000000000000000AA");
    assertThat(server.last().rawPath()).isEqualTo("/v1/memory/01KAT0000000000000000000AA");
    client.get("../health");
    assertThat(server.last().rawPath()).isEqualTo("/v1/memory/..%2Fhealth");
    client.get("..");
    assertThat(server.last().rawPath()).isEqualTo("/v1/memory/%2E%2E");
    client.get("a b?c#d");
    assertThat(server.last().rawPath()).isEqualTo("/v1/memory/a%20b%3Fc%23d");
    assertThat(server.last().rawQuery()).isNull();
    assertThatThrownBy(() -> client.get(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.get(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void updateSendsAPatchWithTheChangedFieldsOnly() throws IOException {
    server.answer(200, MEMORY + "}");
    StoredMemory updated = client.update("01A", UpdateRequest.importance(0.9));
    assertThat(server.last().method()).isEqualTo("PATCH");
    assertThat(server.last().rawPath()).isEqualTo("/v1/memory/01A");
    assertThat(json(server.last().bodyText())).isEqualTo(json("{\"importance\": 0.9}"));
    assertThat(updated.memoryId()).isEqualTo("01KAT0000000000000000000AA");
    client.update("01A", UpdateRequest.category(""));
    assertThat(json(server.last().bodyText())).isEqualTo(json("{\"category\": \"\"}"));
  }

  @Test
  void forgetAndPurgeSendDeletes() {
    server.answer(204, "application/json", "");
    client.forget("01A");
    assertThat(server.last().method()).isEqualTo("DELETE");
    assertThat(server.last().rawPath()).isEqualTo("/v1/memory/01A");
    assertThat(server.last().rawQuery()).isNull();
    server.answer(200, "{\"memory_id\": \"01A\", \"purged\": true}");
    client.purge("01A");
    assertThat(server.last().rawQuery()).isEqualTo("purge=true");
  }

  @Test
  void hydrateAndSnapshotSendTheFileOrNothing() throws IOException {
    server.answer(200, "{\"loaded\": 3, \"skipped_dupes\": 1, \"trace_ms\": 5}");
    assertThat(client.hydrate("swap.jsonl")).isEqualTo(new HydrateResult(3, 1, 0, null, 5));
    assertThat(server.last().rawPath()).isEqualTo("/v1/hydrate");
    assertThat(json(server.last().bodyText())).isEqualTo(json("{\"file\": \"swap.jsonl\"}"));
    client.hydrate();
    assertThat(json(server.last().bodyText())).isEqualTo(json("{}"));
    client.hydrate(HydrateRequest.of("bad.jsonl.gz").skippingBadLines());
    assertThat(json(server.last().bodyText()))
        .isEqualTo(json("{\"file\": \"bad.jsonl.gz\", \"skip_bad\": true}"));

    server.answer(200, "{\"exported\": 9, \"path\": \"/data/swap.jsonl.gz\"}");
    assertThat(client.snapshot("swap.jsonl.gz"))
        .isEqualTo(new SnapshotResult(9, "/data/swap.jsonl.gz", 0));
    assertThat(server.last().rawPath()).isEqualTo("/v1/snapshot");
    assertThat(json(server.last().bodyText())).isEqualTo(json("{\"file\": \"swap.jsonl.gz\"}"));
    client.snapshot();
    assertThat(json(server.last().bodyText())).isEqualTo(json("{}"));
    client.snapshot(SnapshotRequest.of(null).withEmbeddings());
    assertThat(json(server.last().bodyText())).isEqualTo(json("{\"include_embeddings\": true}"));
  }

  @Test
  void aTokenIsSentAsABearerHeader() {
    server.answer(200, "{\"status\": \"ok\"}");
    try (HotMemClient withToken =
        HotMemClient.builder(server.url()).token("s3cret-T0ken").build()) {
      withToken.health();
    }
    assertThat(server.last().header("Authorization")).isEqualTo("Bearer s3cret-T0ken");
  }

  @Test
  void aPathPrefixAndTrailingSlashesAreKept() {
    server.answer(200, "{\"status\": \"ok\"}");
    try (HotMemClient prefixed = HotMemClient.create(server.url() + "/hotmem//")) {
      assertThat(prefixed.baseUrl()).isEqualTo(server.url() + "/hotmem");
      prefixed.health();
    }
    assertThat(server.last().rawPath()).isEqualTo("/hotmem/v1/health");
  }

  @Test
  void requestsAreRequiredToBeComplete() {
    assertThatThrownBy(() -> AddRequest.of("x", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("fact");
    assertThatThrownBy(() -> SearchRequest.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("query");
    assertThat(server.requestCount()).isZero();
  }
}
