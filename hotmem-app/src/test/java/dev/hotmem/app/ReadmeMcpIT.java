package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's 60-second MCP example, run by bash against the real binary and the local model. */
class ReadmeMcpIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PRINTF =
      Pattern.compile("```bash\n(printf .*?\\| \\./hotmem mcp[^\n]*)\n", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void theRawJsonRpcExampleAnswersAsTheReadmeSays() throws Exception {
    String readme = Files.readString(Binary.repo().resolve("README.md"));
    int section = readme.indexOf("\n## The 60-second MCP example");
    assertThat(section).isPositive();
    Matcher m = PRINTF.matcher(readme.substring(section));
    assertThat(m.find()).as("the printf block of the MCP example").isTrue();
    String script =
        m.group(1)
            .replace("./hotmem mcp", "'" + Binary.java() + "' -jar '" + Binary.jar() + "' mcp");
    Binary.Result r = Binary.run(dir, List.of("bash", "-c", script), Map.of());
    assertThat(r.exit()).as(r.err()).isZero();
    Map<Integer, JsonNode> answers = new HashMap<>();
    for (String line : r.out().lines().toList()) {
      JsonNode n = JSON.readTree(line);
      answers.put(n.get("id").asInt(), n.get("result"));
    }
    assertThat(answers).containsOnlyKeys(1, 2, 3, 4, 5);
    String search = answers.get(4).get("content").get(0).get("text").asText();
    assertThat(search).contains("V[srv.prod]: api.example.com:4000").doesNotContain(":3005");
    JsonNode history = JSON.readTree(answers.get(5).get("content").get(0).get("text").asText());
    assertThat(history.get("count").asInt()).isEqualTo(2);
    assertThat(history.get("history").get(0).get("line").asText()).endsWith(":3005");
    assertThat(history.get("history").get(0).get("replaced_by").asText())
        .isEqualTo(history.get("history").get(1).get("id").asText());
    assertThat(dir.resolve("data/demo.sqlite")).isRegularFile();
  }
}
