package dev.hotmem.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README example runs and answers as the README says. */
class QuickstartTest {
  @TempDir Path dir;

  @Test
  void recallsTheInvoiceFactFirstAsASystemMessage() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      Quickstart.main(new String[] {dir.resolve("q.sqlite").toString()});
      Quickstart.main(new String[] {dir.resolve("q.sqlite").toString()}); // idempotent: dedup
    } finally {
      System.setOut(original);
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines[0]).contains("vendor_x").contains("Invoice total was $5000");
    assertThat(lines[lines.length - 1])
        .startsWith("[{\"role\":\"system\",\"content\":\"Invoice total was $5000")
        .endsWith("{\"role\":\"user\",\"content\":\"Analyze this vendor.\"}]");
  }
}
