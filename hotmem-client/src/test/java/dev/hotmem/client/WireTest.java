package dev.hotmem.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wire records read absent, null and unknown fields; error bodies of any bytes are safe. */
class WireTest {

  @Test
  void aMemoryWithOnlyAnIdReadsWithDefaults() throws Exception {
    StoredMemory m = Wire.MAPPER.readValue("{\"memory_id\": \"01A\"}", StoredMemory.class);
    assertThat(m.memoryId()).isEqualTo("01A");
    assertThat(m.metadata()).isEmpty();
    assertThat(m.importance()).isZero();
    assertThat(m.createdAt()).isNull();
  }

  @Test
  void nullsAndUnknownValuesFromANewerServerStillRead() throws Exception {
    StoredMemory m =
        Wire.MAPPER.readValue(
            """
            {"memory_id": "01A", "metadata": null, "importance": null, "access_count": null,
             "status": "pinned", "created_at": null, "embedding": [0.1, 0.2],
             "provenance": {"model": "x"}}""",
            StoredMemory.class);
    assertThat(m.metadata()).isEmpty();
    assertThat(m.status()).isEqualTo("pinned");
    SearchResult r =
        Wire.MAPPER.readValue(
            "{\"memories\": [{\"role\": \"system\", \"breakdown\": null, \"extra\": 1}]}",
            SearchResult.class);
    assertThat(r.memories()).hasSize(1);
    assertThat(r.memories().get(0).breakdown()).isNull();
  }

  @Test
  void aBadInstantIsAnError() {
    assertThatThrownBy(
            () ->
                Wire.MAPPER.readValue(
                    "{\"memory_id\": \"01A\", \"created_at\": \"yesterday\"}", StoredMemory.class))
        .hasMessageContaining("ISO-8601");
    assertThatThrownBy(
            () ->
                Wire.MAPPER.readValue(
                    "{\"memory_id\": \"01A\", \"created_at\": [1]}", StoredMemory.class))
        .isInstanceOf(Exception.class);
  }

  @Test
  void requestsLeaveOutWhatWasNotGiven() throws Exception {
    assertThat(Wire.MAPPER.writeValueAsString(AddRequest.of(null, "just a fact")))
        .isEqualTo("{\"fact\":\"just a fact\"}");
    assertThat(Wire.MAPPER.writeValueAsString(new UpdateRequest(null, null, "")))
        .isEqualTo("{\"category\":\"\"}");
    assertThat(Wire.MAPPER.writeValueAsString(HydrateRequest.of(null))).isEqualTo("{}");
  }

  @Test
  void answersAndRequestsAreImmutable() {
    SearchResult r = new SearchResult(new java.util.ArrayList<>(), 0, 0, 0);
    assertThatThrownBy(() -> r.memories().add(null))
        .isInstanceOf(UnsupportedOperationException.class);
    java.util.Map<String, Object> meta = new java.util.HashMap<>(Map.of("a", 1));
    AddRequest a = AddRequest.builder("x", "y").metadata(meta).build();
    meta.put("b", 2);
    assertThat(a.metadata()).containsOnlyKeys("a");
    assertThat(new BatchResult(null, null, 0, 0, 0, 0).memoryIds()).isEqualTo(List.of());
  }

  /** Any bytes as an error body give a typed exception with a one-line, bounded message. */
  @Test
  void errorBodiesOfRandomBytesNeverBreakTheMapping() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    String[] seeds = {
      "{\"error\": {\"code\": \"not_found\", \"message\": \"x\"}}", "{\"error\":", "<html>", ""
    };
    for (int i = 0; i < 2000; i++) {
      byte[] body;
      if (random.nextBoolean()) {
        body = new byte[random.nextInt(600)];
        random.nextBytes(body);
      } else {
        byte[] base = seeds[random.nextInt(seeds.length)].getBytes(StandardCharsets.UTF_8);
        body = base.clone();
        if (body.length > 0) {
          body[random.nextInt(body.length)] = (byte) random.nextInt(256);
        }
      }
      int status = 400 + random.nextInt(200);
      HotMemClientException e = Transport.error(status, body, null, "GET http://h/v1/x");
      assertThat(e.status()).as("seed %d", seed).isEqualTo(status);
      assertThat(e.code()).as("seed %d", seed).isNotBlank();
      if (e.code().equals(HotMemClientException.HTTP_ERROR)) {
        assertThat(e.getMessage())
            .as("seed %d", seed)
            .doesNotContain("\n", "\r")
            .hasSizeLessThan(700);
      }
    }
  }
}
