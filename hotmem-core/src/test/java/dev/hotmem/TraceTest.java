package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's operations each emit one JSON trace line that the documented grep finds. */
class TraceTest {
  @Test
  void operationsEmitOneGreppableJsonLineEach() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (HotMem mem = HotMem.open(HotMemConfig.ephemeral().tracing(Tracing.STDERR).build())) {
      mem.remember(NewMemory.of("x", "traced fact about lighthouses"));
      mem.recall("lighthouses");
    } finally {
      System.setErr(original);
    }
    List<JsonNode> lines = new ArrayList<>();
    List<String> searchLines = new ArrayList<>();
    for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("{")) {
        lines.add(new ObjectMapper().readTree(line));
        if (line.contains("\"component\": \"search\"")) {
          searchLines.add(line);
        }
      }
    }
    assertThat(searchLines).hasSize(1);
    JsonNode recall =
        lines.stream().filter(l -> l.get("op").asText().equals("recall")).findFirst().orElseThrow();
    assertThat(recall.get("component").asText()).isEqualTo("search");
    assertThat(recall.get("ms").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(recall.get("count").asInt()).isEqualTo(1);
    assertThat(lines)
        .extracting(l -> l.get("component").asText() + "/" + l.get("op").asText())
        .contains("db/open", "db/remember", "embed/embed", "search/recall", "db/close");
  }

  @Test
  void tracingIsOffByDefault() {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (HotMem mem = HotMem.inMemory()) {
      mem.remember("quiet fact");
      mem.recall("quiet");
    } finally {
      System.setErr(original);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("\"component\"");
  }
}
