package dev.hotmem.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every line of the README's Java example is a line of {@link Quickstart}, so the README runs. */
class ReadmeExampleTest {
  @Test
  void theReadmeExampleIsTheQuickstartCode() throws IOException {
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(block.find()).as("README has a java block").isTrue();
    List<String> source =
        Files.readAllLines(
                Path.of("src/main/java/dev/hotmem/examples/Quickstart.java"),
                StandardCharsets.UTF_8)
            .stream()
            .map(String::strip)
            .toList();
    for (String line : block.group(1).split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("//") || l.equals("}")) {
        continue;
      }
      if (l.startsWith("try (HotMem mem = HotMem.open(")) {
        l = "try (HotMem mem = HotMem.open(file)) {"; // the example takes the path as an argument
      }
      assertThat(source).as("README line not in Quickstart.java").contains(l);
    }
  }
}
