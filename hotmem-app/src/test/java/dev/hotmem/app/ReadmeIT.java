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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's set-up and sidecar example, run against the real binary. */
class ReadmeIT {
  private static final ObjectMapper JSON = HotMemJson.newMapper();
  private static final Pattern BASH = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL);
  private static final Pattern CURL =
      Pattern.compile("curl -s localhost:8711(/v1/[a-z/]+) .*?-d '([^']*)'", Pattern.DOTALL);

  @TempDir Path dir;

  private static String section(String readme, String heading) {
    int start = readme.indexOf("\n## " + heading);
    assertThat(start).as("README section %s", heading).isPositive();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  private static List<String> bashBlocks(String section) {
    List<String> blocks = new ArrayList<>();
    Matcher m = BASH.matcher(section);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void theFirstCommandServesAndTheSecondIsTheTestSuite() throws Exception {
    String readme = Files.readString(Binary.repo().resolve("README.md"));
    List<String> commands =
        bashBlocks(section(readme, "Set-up: two commands"))
            .get(0)
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(commands).containsExactly("./hotmem serve", "./mvnw -B verify");
    assertThat(Binary.repo().resolve("hotmem")).isExecutable();
  }

  @Test
  void theSidecarExampleAnswersAsShown() throws Exception {
    String readme = Files.readString(Binary.repo().resolve("README.md"));
    List<String> blocks = bashBlocks(section(readme, "The 60-second sidecar example"));
    assertThat(blocks.get(0).strip()).isEqualTo("./hotmem serve --mount ./data/hotmem");
    Matcher curl = CURL.matcher(blocks.get(1));
    List<String[]> calls = new ArrayList<>();
    while (curl.find()) {
      calls.add(new String[] {curl.group(1), curl.group(2)});
    }
    assertThat(calls).extracting(c -> c[0]).containsExactly("/v1/add", "/v1/add", "/v1/search");

    int port = Binary.freePort();
    HttpClient http = HttpClient.newHttpClient();
    JsonNode last = null;
    try (Binary.Child server =
        Binary.start(
            dir,
            Binary.javaJar("serve", "--mount", "./data/hotmem", "--port", "" + port),
            Map.of())) {
      server.awaitLine(l -> l.startsWith("hotmem: serving "), Duration.ofSeconds(30));
      for (String[] call : calls) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + call[0]))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(call[1]))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", call[0], call[1], r.body()).isBetween(200, 201);
        last = JSON.readTree(r.body());
      }
      server.process.destroy();
      assertThat(server.await(Duration.ofSeconds(30)).exit()).isZero();
    }
    assertThat(last.get("memories").get(0).get("content").asText())
        .isEqualTo("Invoice total was $5000, paid twice in March");
    assertThat(last.get("count").asInt()).isEqualTo(2);
    assertThat(dir.resolve("data/hotmem/swap.jsonl")).isRegularFile();

    Binary.Result search =
        Binary.hotmem(dir, "search", "--mount", "./data/hotmem", "wire", "transfer");
    assertThat(search.exit()).as("%s", search).isZero();
    assertThat(search.out())
        .startsWith("1. ")
        .contains("Vendor X asked to be paid by wire transfer");
  }
}
