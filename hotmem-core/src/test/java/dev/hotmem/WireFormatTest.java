package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recall results serialise in HotMem's message-object shape. */
class WireFormatTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void recallResultsAreHotMemMessageObjects() throws Exception {
    try (HotMem mem = HotMem.inMemory()) {
      mem.remember(
          NewMemory.builder("vendor_x", "Invoice total was $5000")
              .importance(0.8)
              .metadata(Map.of("k", 1))
              .build());
      JsonNode out = json.readTree(HotMemJson.toJson(mem.recall("invoice total")));
      assertThat(out.get("count").asInt()).isEqualTo(1);
      assertThat(out.has("trace_ms")).isTrue();
      JsonNode m = out.get("memories").get(0);
      assertThat(m.get("role").asText()).isEqualTo("system");
      assertThat(m.get("content").asText()).isEqualTo("Invoice total was $5000");
      assertThat(m.get("memory_id").asText()).hasSize(26);
      assertThat(m.get("identifier").asText()).isEqualTo("vendor_x");
      assertThat(m.get("score").isNumber()).isTrue();
      assertThat(m.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(m.get("breakdown").fieldNames())
          .toIterable()
          .contains("bm25", "cosine", "importance", "recency", "fused");
    }
  }

  @Test
  void memoriesUseSnakeCaseAndLowerCaseStatus() throws Exception {
    try (HotMem mem = HotMem.inMemory()) {
      Memory m = mem.remember(NewMemory.of("x", "a fact")).memory();
      JsonNode out = json.readTree(HotMemJson.toJson(m));
      assertThat(out.get("status").asText()).isEqualTo("active");
      assertThat(out.get("content_hash").asText()).isEqualTo(m.contentHash());
      assertThat(out.has("access_count")).isTrue();
      Memory back = HotMemJson.newMapper().readValue(HotMemJson.toJson(m), Memory.class);
      assertThat(back).isEqualTo(m);
    }
  }
}
