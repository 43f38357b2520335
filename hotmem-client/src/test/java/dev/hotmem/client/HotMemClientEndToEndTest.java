package dev.hotmem.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hotmem.HotMem;
import dev.hotmem.server.HotMemServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every client method against the real {@link HotMemServer} over a real SQLite file, on an
 * ephemeral loopback port. Each test works in a namespace of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotMemClientEndToEndTest {
  private static final String TOKEN = "e2e-t0ken-" + UUID.randomUUID();

  private Path dir;
  private HotMem hotMem;
  private HotMemServer server;
  private HotMemServer tokenServer;
  private HotMemClient client;
  private String ns;

  @BeforeAll
  void start(@TempDir Path tempDir) {
    dir = tempDir;
    hotMem = HotMem.open(dir.resolve("t.sqlite"));
    server =
        HotMemServer.builder(hotMem)
            .port(0)
            .fileRoot(dir)
            .defaultSwapFile(dir.resolve("swap.jsonl"))
            .version("e2e")
            .start();
    tokenServer = HotMemServer.builder(hotMem).port(0).fileRoot(dir).token(TOKEN).start();
    client = HotMemClient.create(server.baseUrl());
  }

  @AfterAll
  void stop() {
    client.close();
    tokenServer.close();
    server.close();
    hotMem.close();
  }

  @BeforeEach
  void namespace() {
    ns = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void health() {
    Health health = client.health();
    assertThat(health.ok()).isTrue();
    assertThat(health.version()).isEqualTo("e2e");
    assertThat(health.dbPath()).endsWith("t.sqlite");
    assertThat(health.memoryCount()).isEqualTo(hotMem.count());
    assertThat(health.uptimeS()).isGreaterThanOrEqualTo(0.0);
    assertThat(health.embedder())
        .isEqualTo(
            new Health.Embedder(
                hotMem.info().embedderId(),
                hotMem.info().embedderSpec(),
                hotMem.info().embedderDimension()));
  }

  @Test
  void addStoresEveryFieldAndReportsDuplicates() {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("invoice", 42);
    metadata.put("none", null);
    metadata.put("tags", List.of("a", "b"));
    AddResult added =
        client.add(
            AddRequest.builder("vendor_x", "Invoice total was $5000 🧾")
                .importance(0.8)
                .source("email")
                .metadata(metadata)
                .ttlSeconds(3600)
                .namespace(ns)
                .category("billing")
                .kind("event")
                .scope("q3")
                .context("What was the invoice total?")
                .build());
    assertThat(added.duplicate()).isFalse();
    StoredMemory m = added.memory();
    assertThat(m.memoryId()).hasSize(26);
    assertThat(m.namespace()).isEqualTo(ns);
    assertThat(m.identifier()).isEqualTo("vendor_x");
    assertThat(m.content()).isEqualTo("Invoice total was $5000 🧾");
    assertThat(m.importance()).isEqualTo(0.8);
    assertThat(m.source()).isEqualTo("email");
    assertThat(m.category()).isEqualTo("billing");
    assertThat(m.kind()).isEqualTo("event");
    assertThat(m.scope()).isEqualTo("q3");
    assertThat(m.context()).isEqualTo("What was the invoice total?");
    assertThat(m.metadata()).isEqualTo(metadata);
    assertThat(m.contentHash()).hasSize(64);
    assertThat(m.status()).isEqualTo("active");
    assertThat(m.createdAt()).isNotNull();
    assertThat(m.expiresAt()).isEqualTo(m.createdAt().plusSeconds(3600));

    AddResult again =
        client.add(
            AddRequest.builder("vendor_x", "Invoice total was $5000 🧾").namespace(ns).build());
    assertThat(again.duplicate()).isTrue();
    assertThat(again.memoryId()).isEqualTo(m.memoryId());
  }

  @Test
  void addBatchThenListPagesInCreationOrder() {
    List<AddRequest> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(AddRequest.builder("p" + i, "fact number " + i).namespace(ns).build());
    }
    batch.add(AddRequest.builder("p0", "fact number 0").namespace(ns).build());
    BatchResult result = client.addBatch(batch);
    assertThat(result.count()).isEqualTo(6);
    assertThat(result.added()).isEqualTo(5);
    assertThat(result.duplicates()).isEqualTo(1);
    assertThat(result.duplicate()).containsExactly(false, false, false, false, false, true);
    assertThat(result.memoryIds().get(5)).isEqualTo(result.memoryIds().get(0));

    MemoryPage first =
        client.list(ListRequest.builder().namespace(ns).limit(2).offset(0).ascending().build());
    assertThat(first.total()).isEqualTo(5);
    assertThat(first.count()).isEqualTo(2);
    assertThat(first.hasMore()).isTrue();
    assertThat(first.memories())
        .extracting(StoredMemory::memoryId)
        .containsExactlyElementsOf(result.memoryIds().subList(0, 2));
    MemoryPage last =
        client.list(ListRequest.builder().namespace(ns).limit(2).offset(4).ascending().build());
    assertThat(last.hasMore()).isFalse();
    assertThat(last.memories().get(0).memoryId()).isEqualTo(result.memoryIds().get(4));
    MemoryPage newest = client.list(ListRequest.builder().namespace(ns).limit(1).build());
    assertThat(newest.memories().get(0).memoryId()).isEqualTo(result.memoryIds().get(4));
    MemoryPage one = client.list(ListRequest.builder().namespace(ns).identifier("p3").build());
    assertThat(one.memories()).extracting(StoredMemory::content).containsExactly("fact number 3");
  }

  @Test
  void searchRanksFiltersAndBudgets() {
    client.add(
        AddRequest.builder("a", "the quarterly report is due friday")
            .namespace(ns)
            .kind("task")
            .build());
    client.add(AddRequest.builder("b", "the quarterly budget was approved").namespace(ns).build());

    SearchResult all = client.search(SearchRequest.builder("quarterly").namespace(ns).build());
    assertThat(all.count()).isEqualTo(2);
    assertThat(all.memories()).extracting(MemoryMessage::identifier).containsOnly("a", "b");
    MemoryMessage best = all.memories().get(0);
    assertThat(best.role()).isEqualTo("system");
    assertThat(best.score()).isBetween(0.0, 1.0);
    assertThat(best.namespace()).isEqualTo(ns);
    assertThat(best.breakdown()).isNotNull();
    assertThat(best.breakdown().textRank()).isPositive();
    assertThat(all.memories().get(0).score()).isGreaterThanOrEqualTo(all.memories().get(1).score());

    assertThat(
            client
                .search(SearchRequest.builder("quarterly").namespace(ns).kind("task").build())
                .memories())
        .extracting(MemoryMessage::identifier)
        .containsExactly("a");
    assertThat(
            client
                .search(SearchRequest.builder("quarterly").namespace(ns).identifier("b").build())
                .memories())
        .extracting(MemoryMessage::identifier)
        .containsExactly("b");
    SearchResult capped =
        client.search(SearchRequest.builder("quarterly").namespace(ns).maxChars(40).build());
    assertThat(capped.memories().stream().mapToInt(m -> m.content().length()).sum())
        .isLessThanOrEqualTo(40);
    assertThat(capped.omitted()).isEqualTo(1);
    Instant tomorrow = Instant.now().plus(1, ChronoUnit.DAYS);
    assertThat(
            client
                .search(
                    SearchRequest.builder("quarterly").namespace(ns).createdAfter(tomorrow).build())
                .memories())
        .isEmpty();
    assertThat(
            client
                .search(
                    SearchRequest.builder("quarterly")
                        .namespace(ns)
                        .status("active", "archived")
                        .topK(1)
                        .build())
                .memories())
        .hasSize(1);
  }

  @Test
  void getUpdateForgetPurge() {
    String id =
        client.add(AddRequest.builder("g", "a memory to change").namespace(ns).build()).memoryId();
    assertThat(client.get(id).content()).isEqualTo("a memory to change");

    StoredMemory updated = client.update(id, new UpdateRequest(0.9, Map.of("k", "v"), "reviewed"));
    assertThat(updated.importance()).isEqualTo(0.9);
    assertThat(updated.metadata()).isEqualTo(Map.of("k", "v"));
    assertThat(updated.category()).isEqualTo("reviewed");
    assertThat(client.update(id, UpdateRequest.category("")).category()).isNull();

    client.forget(id);
    var gone = catchThrowableOfType(HotMemClientException.NotFound.class, () -> client.get(id));
    assertThat(gone.code()).isEqualTo("not_found");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.traceId()).isNotBlank();
    assertThatThrownBy(() -> client.forget(id)).isInstanceOf(HotMemClientException.NotFound.class);
    client.purge(id);
    assertThatThrownBy(() -> client.purge(id)).isInstanceOf(HotMemClientException.NotFound.class);
  }

  @Test
  void invalidRequestsNameTheirField() {
    var topK =
        catchThrowableOfType(
            HotMemClientException.InvalidRequest.class,
            () -> client.search(SearchRequest.builder("q").namespace(ns).topK(0).build()));
    assertThat(topK.code()).isEqualTo("invalid_request");
    assertThat(topK.status()).isEqualTo(400);
    assertThat(topK.field()).isEqualTo("top_k");
    assertThat(topK.getMessage()).contains("POST " + server.baseUrl() + "/v1/search");

    var fact =
        catchThrowableOfType(
            HotMemClientException.InvalidRequest.class,
            () -> client.add(AddRequest.builder("x", "   ").namespace(ns).build()));
    assertThat(fact.field()).isEqualTo("fact");

    var importance =
        catchThrowableOfType(
            HotMemClientException.InvalidRequest.class,
            () -> client.add(AddRequest.builder("x", "y").importance(1.5).build()));
    assertThat(importance.field()).isEqualTo("importance");

    var limit =
        catchThrowableOfType(
            HotMemClientException.InvalidRequest.class,
            () -> client.list(ListRequest.builder().limit(0).build()));
    assertThat(limit.field()).isEqualTo("limit");

    var batchItem =
        catchThrowableOfType(
            HotMemClientException.InvalidRequest.class,
            () -> client.addBatch(List.of(AddRequest.of("a", "ok"), AddRequest.of("b", ""))));
    assertThat(batchItem.field()).isEqualTo("memories[1].fact");

    assertThatThrownBy(
            () -> client.update("01KAT0000000000000000000ZZ", UpdateRequest.importance(0.5)))
        .isInstanceOf(HotMemClientException.NotFound.class);
  }

  @Test
  void anIdThatLooksLikeAPathStaysAnId() {
    var e = catchThrowableOfType(HotMemClientException.class, () -> client.get("../health"));
    assertThat(e.status()).isBetween(400, 499);
    assertThat(e.code()).isIn("not_found", "invalid_request");
  }

  @Test
  void aBodyOverTheLimitIsPayloadTooLarge() {
    String huge = "x".repeat(1_100_000);
    var e =
        catchThrowableOfType(
            HotMemClientException.InvalidRequest.class,
            () -> client.add(AddRequest.builder("big", huge).namespace(ns).build()));
    assertThat(e.code()).isEqualTo("payload_too_large");
    assertThat(e.status()).isEqualTo(413);
  }

  @Test
  void snapshotThenHydrateRoundTrips() throws Exception {
    client.add(AddRequest.builder("s", "snapshotted fact").namespace(ns).build());
    String name = ns + ".jsonl.gz";
    SnapshotResult snap = client.snapshot(name);
    assertThat(snap.exported()).isPositive();
    assertThat(Path.of(snap.path())).isEqualTo(dir.toRealPath().resolve(name));
    assertThat(Files.size(dir.resolve(name))).isPositive();

    HydrateResult same = client.hydrate(name);
    assertThat(same.skippedDupes()).isPositive();
    assertThat(same.loaded() + same.skippedDupes()).isEqualTo(snap.exported());

    Path other = dir.resolve("other");
    Files.createDirectories(other);
    try (HotMem fresh = HotMem.open(other.resolve("fresh.sqlite"));
        HotMemServer freshServer = HotMemServer.builder(fresh).port(0).fileRoot(dir).start();
        HotMemClient freshClient = HotMemClient.create(freshServer.baseUrl())) {
      HydrateResult loaded = freshClient.hydrate(HydrateRequest.of(name));
      assertThat(loaded.loaded()).isEqualTo(snap.exported());
      assertThat(
              freshClient
                  .search(SearchRequest.builder("snapshotted").namespace(ns).build())
                  .memories())
          .extracting(MemoryMessage::content)
          .containsExactly("snapshotted fact");
    }
  }

  @Test
  void theDefaultSwapFileIsUsedWhenNoneIsNamed() {
    client.add(AddRequest.builder("d", "default swap").namespace(ns).build());
    SnapshotResult snap = client.snapshot();
    assertThat(Path.of(snap.path()).getFileName().toString()).isEqualTo("swap.jsonl");
    HydrateResult again = client.hydrate();
    assertThat(again.skippedDupes()).isPositive();
    assertThat(again.loaded() + again.skippedDupes()).isEqualTo(snap.exported());
  }

  @Test
  void swapPathsOutsideTheRootAndMissingFilesAreRefused() {
    var outside =
        catchThrowableOfType(
            HotMemClientException.InvalidRequest.class, () -> client.hydrate("../escape.jsonl"));
    assertThat(outside.field()).isEqualTo("file");
    assertThat(outside.status()).isEqualTo(400);
    assertThatThrownBy(() -> client.snapshot("/etc/hotmem.jsonl"))
        .isInstanceOf(HotMemClientException.InvalidRequest.class);
    assertThatThrownBy(() -> client.hydrate(ns + "-missing.jsonl"))
        .isInstanceOf(HotMemClientException.NotFound.class);
  }

  @Test
  void aTokenServerWantsItsToken() {
    try (HotMemClient anonymous = HotMemClient.create(tokenServer.baseUrl());
        HotMemClient wrong =
            HotMemClient.builder(tokenServer.baseUrl()).token("not-the-token").build();
        HotMemClient right = HotMemClient.builder(tokenServer.baseUrl()).token(TOKEN).build()) {
      var e = catchThrowableOfType(HotMemClientException.Unauthorized.class, anonymous::health);
      assertThat(e.code()).isEqualTo("unauthorized");
      assertThat(e.status()).isEqualTo(401);
      assertThatThrownBy(() -> wrong.search("q"))
          .isInstanceOf(HotMemClientException.Unauthorized.class);
      assertThat(right.health().ok()).isTrue();
      assertThat(
              right.add(AddRequest.builder("t", "with a token").namespace(ns).build()).duplicate())
          .isFalse();
    }
  }

  @Test
  void aStoppedServerIsAConnectionFailure() {
    HotMemServer shortLived = HotMemServer.builder(hotMem).port(0).fileRoot(dir).start();
    String url = shortLived.baseUrl();
    try (HotMemClient c = HotMemClient.create(url)) {
      assertThat(c.health().ok()).isTrue();
      shortLived.close();
      var e = catchThrowableOfType(HotMemClientException.ConnectionFailed.class, c::health);
      assertThat(e.getMessage()).contains(url);
    }
  }
}
