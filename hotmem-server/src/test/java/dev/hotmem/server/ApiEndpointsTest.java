package dev.hotmem.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotmem.Memory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The happy path of every row of the HTTP table, over real HTTP and a real SQLite file. */
class ApiEndpointsTest extends ServerFixture {

  @Test
  void healthReportsTheStore() {
    hotMem.remember("one fact");
    Reply r = get("/v1/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("ok");
    assertThat(r.json().path("memory_count").asLong()).isEqualTo(1);
    assertThat(r.json().path("db_path").asText()).isEqualTo(dir.resolve("t.sqlite").toString());
    assertThat(r.json().path("uptime_s").asDouble()).isGreaterThanOrEqualTo(0.0);
    assertThat(r.json().path("version").asText()).isEqualTo("test");
    JsonNode embedder = r.json().path("embedder");
    assertThat(embedder.path("id").asText()).isEqualTo(hotMem.info().embedderId());
    assertThat(embedder.path("spec").asText()).isEqualTo(hotMem.info().embedderSpec());
    assertThat(embedder.path("dimension").asInt()).isEqualTo(hotMem.info().embedderDimension());
    JsonNode index = r.json().path("vector_index");
    assertThat(index.path("kind").asText()).as(r.body()).isEqualTo("exact");
    assertThat(index.path("entries").asInt()).isEqualTo(1);
    assertThat(index.path("building").isBoolean()).isTrue();
    assertThat(index.path("building").asBoolean()).isFalse();
    assertThat(index.path("search_beam").asInt()).isZero();
    assertThat(r.json().path("trace_ms").isNumber()).isTrue();
    assertThat(r.header("Content-Type")).startsWith("application/json");
  }

  @Test
  void addStoresEveryFieldAndAnswersTheMemory() {
    Reply r =
        post(
            "/v1/add",
            "{\"identifier\": \"vendor_x\", \"fact\": \"Invoice total was $5000\","
                + " \"importance\": 0.8, \"source\": \"mail\", \"metadata\": {\"k\": [1, true]},"
                + " \"ttl_seconds\": 3600, \"namespace\": \"acme\", \"kind\": \"event\","
                + " \"category\": \"billing\", \"scope\": \"q4\","
                + " \"context\": \"What did the invoice say?\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode m = r.json();
    assertThat(m.path("duplicate").asBoolean(true)).isFalse();
    String id = m.path("memory_id").asText();
    Memory stored = hotMem.get(id);
    assertThat(stored.identifier()).isEqualTo("vendor_x");
    assertThat(stored.content()).isEqualTo("Invoice total was $5000");
    assertThat(stored.importance()).isEqualTo(0.8);
    assertThat(stored.source()).isEqualTo("mail");
    assertThat(stored.metadata()).containsEntry("k", List.of(1, true));
    assertThat(stored.namespace()).isEqualTo("acme");
    assertThat(stored.kind()).isEqualTo("event");
    assertThat(stored.category()).isEqualTo("billing");
    assertThat(stored.scope()).isEqualTo("q4");
    assertThat(stored.context()).isEqualTo("What did the invoice say?");
    assertThat(m.path("context").asText()).isEqualTo("What did the invoice say?");
    assertThat(stored.expiresAt()).isEqualTo(stored.createdAt().plusSeconds(3600));
    assertThat(m.path("content_hash").asText()).isEqualTo(stored.contentHash());
    assertThat(m.path("created_at").asText()).isEqualTo(stored.createdAt().toString());
    assertThat(m.path("expires_at").asText()).isEqualTo(stored.expiresAt().toString());
    assertThat(m.path("status").asText()).isEqualTo("active");
    assertThat(m.has("superseded_by")).isTrue();
    assertThat(m.has("last_accessed_at")).isTrue();
    assertThat(m.path("access_count").asLong(-1)).isZero();
    assertThat(m.path("trace_ms").isNumber()).isTrue();
  }

  @Test
  void duplicateAddAnswers200WithTheSameMemory() {
    Reply first = post("/v1/add", addBody("vendor_x", "Invoice total was $5000"));
    Reply again = post("/v1/add", addBody("vendor_x", "Invoice total was $5000"));
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("duplicate").asBoolean()).isTrue();
    assertThat(again.json().path("memory_id").asText())
        .isEqualTo(first.json().path("memory_id").asText());
    assertThat(hotMem.count()).isEqualTo(1);
  }

  @Test
  void batchStoresInOrderAndReportsDuplicates() {
    hotMem.remember(dev.hotmem.NewMemory.of("a", "already there"));
    Reply r =
        post(
            "/v1/add/batch",
            "{\"memories\": [{\"identifier\": \"a\", \"fact\": \"first\"},"
                + " {\"identifier\": \"a\", \"fact\": \"already there\"},"
                + " {\"identifier\": \"b\", \"fact\": \"third\", \"importance\": 0.9}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("count").asInt()).isEqualTo(3);
    assertThat(r.json().path("added").asInt()).isEqualTo(2);
    assertThat(r.json().path("duplicates").asInt()).isEqualTo(1);
    List<String> ids = new ArrayList<>();
    r.json().path("memory_ids").forEach(n -> ids.add(n.asText()));
    assertThat(ids).hasSize(3);
    assertThat(hotMem.get(ids.get(0)).content()).isEqualTo("first");
    assertThat(hotMem.get(ids.get(1)).content()).isEqualTo("already there");
    assertThat(hotMem.get(ids.get(2)).importance()).isEqualTo(0.9);
    assertThat(r.json().path("duplicate").get(1).asBoolean()).isTrue();
    assertThat(hotMem.count()).isEqualTo(3);
  }

  @Test
  void batchIsAllOrNothing() {
    Reply r = post("/v1/add/batch", "{\"memories\": [{\"fact\": \"fine\"}, {\"fact\": \"   \"}]}");
    assertError(r, 400, "invalid_request");
    assertThat(r.errorField()).isEqualTo("memories[1].fact");
    assertThat(hotMem.count()).isZero();
  }

  @Test
  void searchAnswersRankedMessagesWithFilters() {
    post("/v1/add", addBody("vendor_x", "Invoice total was $5000"));
    post("/v1/add", addBody("vendor_y", "Invoice total was $7000"));
    post("/v1/add", addBody("vendor_x", "The office cat is named Mochi"));
    Reply r =
        post(
            "/v1/search",
            "{\"query\": \"invoice total\", \"top_k\": 5, \"identifier\": \"vendor_x\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode memories = r.json().path("memories");
    assertThat(r.json().path("count").asInt()).isEqualTo(memories.size());
    assertThat(memories.size()).isBetween(1, 2);
    JsonNode best = memories.get(0);
    assertThat(best.path("role").asText()).isEqualTo("system");
    assertThat(best.path("content").asText()).isEqualTo("Invoice total was $5000");
    assertThat(best.path("identifier").asText()).isEqualTo("vendor_x");
    assertThat(best.path("score").asDouble()).isBetween(0.0, 1.0);
    assertThat(best.path("memory_id").asText()).isNotBlank();
    assertThat(best.path("created_at").asText()).isNotBlank();
    assertThat(r.json().has("omitted")).isTrue();
    assertThat(r.json().path("trace_ms").isNumber()).isTrue();
    memories.forEach(m -> assertThat(m.path("identifier").asText()).isEqualTo("vendor_x"));
  }

  @Test
  void searchRespectsTopKMaxCharsNamespaceAndStatus() {
    for (int i = 0; i < 8; i++) {
      post("/v1/add", addBody("v", "invoice number " + i + " was paid"));
    }
    assertThat(post("/v1/search", "{\"query\": \"invoice\"}").json().path("count").asInt())
        .isEqualTo(5);
    assertThat(
            post("/v1/search", "{\"query\": \"invoice\", \"top_k\": 2}")
                .json()
                .path("count")
                .asInt())
        .isEqualTo(2);
    Reply capped = post("/v1/search", "{\"query\": \"invoice\", \"max_chars\": 40}");
    int chars = 0;
    for (JsonNode m : capped.json().path("memories")) {
      chars += m.path("content").asText().length();
    }
    assertThat(chars).isLessThanOrEqualTo(40);
    assertThat(capped.json().path("omitted").asInt()).isPositive();
    assertThat(
            post("/v1/search", "{\"query\": \"invoice\", \"namespace\": \"other\"}")
                .json()
                .path("count")
                .asInt())
        .isZero();
    assertThat(
            post("/v1/search", "{\"query\": \"invoice\", \"status\": [\"archived\"]}")
                .json()
                .path("count")
                .asInt())
        .isZero();
    assertThat(
            post(
                    "/v1/search",
                    "{\"query\": \"invoice\", \"created_before\": \"2000-01-01T00:00:00Z\"}")
                .json()
                .path("count")
                .asInt())
        .isZero();
    assertThat(
            post("/v1/search", "{\"query\": \"invoice\", \"min_score\": 1.0}")
                .json()
                .path("count")
                .asInt())
        .isLessThan(5);
  }

  @Test
  void listPagesInCreationOrder() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(post("/v1/add", addBody("p", "fact " + i)).json().path("memory_id").asText());
    }
    post("/v1/add", "{\"identifier\": \"q\", \"fact\": \"other\", \"namespace\": \"ns2\"}");
    Reply page = get("/v1/memories?identifier=p&limit=2&offset=1&order=asc");
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.json().path("count").asInt()).isEqualTo(2);
    assertThat(page.json().path("total").asLong()).isEqualTo(5);
    assertThat(page.json().path("memories").get(0).path("memory_id").asText())
        .isEqualTo(ids.get(1));
    assertThat(page.json().path("memories").get(1).path("memory_id").asText())
        .isEqualTo(ids.get(2));
    Reply newest = get("/v1/memories?limit=1");
    assertThat(newest.json().path("memories").get(0).path("memory_id").asText())
        .isEqualTo(ids.get(4));
    Reply other = get("/v1/memories?namespace=ns2");
    assertThat(other.json().path("total").asLong()).isEqualTo(1);
    assertThat(other.json().path("memories").get(0).path("content").asText()).isEqualTo("other");
  }

  @Test
  void getPatchAndForget() {
    String id = post("/v1/add", addBody("g", "patch me")).json().path("memory_id").asText();
    Reply got = get("/v1/memory/" + id);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().path("content").asText()).isEqualTo("patch me");

    Reply patched =
        send(
            "PATCH",
            "/v1/memory/" + id,
            "{\"importance\": 0.9, \"metadata\": {\"a\": 1}, \"category\": \"c\"}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().path("importance").asDouble()).isEqualTo(0.9);
    assertThat(patched.json().path("category").asText()).isEqualTo("c");
    assertThat(hotMem.get(id).metadata()).containsEntry("a", 1);

    Reply forgotten = send("DELETE", "/v1/memory/" + id, null);
    assertThat(forgotten.status()).isEqualTo(200);
    assertThat(forgotten.json().path("status").asText()).isEqualTo("forgotten");
    assertError(get("/v1/memory/" + id), 404, "not_found");
    assertError(send("DELETE", "/v1/memory/" + id, null), 404, "not_found");
  }

  @Test
  void purgeErasesTheRow() throws Exception {
    String id =
        post("/v1/add", addBody("secret", "the launch code is 0000"))
            .json()
            .path("memory_id")
            .asText();
    Reply purged = send("DELETE", "/v1/memory/" + id + "?purge=true", null);
    assertThat(purged.status()).as(purged.body()).isEqualTo(200);
    assertThat(purged.json().path("status").asText()).isEqualTo("purged");
    // Gone in every state, not only hidden: purge of a forgotten memory would still succeed.
    assertError(send("DELETE", "/v1/memory/" + id + "?purge=true", null), 404, "not_found");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.sqlite"));
        var s = c.prepareStatement("SELECT count(*) FROM memories WHERE id = ?")) {
      s.setString(1, id);
      try (var rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }

  @Test
  void forgottenIsKeptUntilPurged() {
    String id = post("/v1/add", addBody("f", "soft")).json().path("memory_id").asText();
    send("DELETE", "/v1/memory/" + id + "?purge=false", null);
    assertThat(hotMem.list(dev.hotmem.ListQuery.of(dev.hotmem.MemoryFilter.defaults())).total())
        .isZero();
    // purge works on any state, so the forgotten row is still there to erase
    assertThat(send("DELETE", "/v1/memory/" + id + "?purge=true", null).status()).isEqualTo(200);
  }

  @Test
  void searchAcceptsStatusAsASingleString() {
    post("/v1/add", addBody("s", "status filter"));
    Reply r = post("/v1/search", "{\"query\": \"status\", \"status\": \"active\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("count").asInt()).isEqualTo(1);
  }

  @Test
  void headOfAGetRouteIsAnsweredWithoutABody() {
    Reply r = send("HEAD", "/v1/health", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.header(Exchange.TRACE_HEADER)).isNotBlank();
  }
}
