package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Recall skips the full vector scan when the keyword candidates alone decide the top k; the answer
 * must be exactly the one a scan gives. The reference is the same query with a top k larger than
 * the keyword candidates can fill, which always scans: its first k results must be the same
 * memories with the same scores.
 */
class VectorScanSkipTest {
  private static final String[] WORDS = {
    "invoice", "vendor", "payment", "wire", "transfer", "march", "audit", "ledger", "refund",
    "shipping", "harbour", "crane", "contract", "renewal", "budget", "travel", "hotel", "flight",
    "meeting", "deadline", "report", "customer", "support", "ticket", "release", "server"
  };

  @Test
  void skippingTheScanNeverChangesTheTopK() throws Exception {
    long seed = Long.getLong("hotmem.seed", System.nanoTime());
    Random random = new Random(seed);
    MutableClock clock = new MutableClock();
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int skipped = 0;
    int compared = 0;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (HotMem mem =
        HotMem.open(
            HotMemConfig.ephemeral()
                .clock(clock)
                .accessWeight(0) // recall counts accesses: keep them out of the scores compared
                .tracing(Tracing.STDERR)
                .build())) {
      List<NewMemory> batch = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 3 + random.nextInt(8); w++) {
          text.append(word(random)).append(' ');
        }
        batch.add(
            NewMemory.builder("id" + random.nextInt(4), text.append(i).toString())
                .importance(random.nextDouble())
                .build());
      }
      mem.rememberAll(batch);
      clock.advance(Duration.ofDays(3));
      for (int q = 0; q < 40; q++) {
        String query = word(random) + " " + word(random);
        int k = 1 + random.nextInt(8);
        err.reset();
        RecallResult small = mem.recall(RecallQuery.builder(query).topK(k).build());
        boolean scanned = lastRecallScanned(err);
        RecallResult reference = mem.recall(RecallQuery.builder(query).topK(100).build());
        assertThat(lastRecallScanned(err)).as("the reference scans").isTrue();
        skipped += scanned ? 0 : 1;
        compared++;
        List<MemoryMessage> want = reference.memories().subList(0, small.count());
        assertThat(small.count()).isEqualTo(k);
        // Cosines of the scan and of the index's one-vector dot product may differ in the last
        // float bit (summation order), so scores agree to 1e-6 and only such ties may swap.
        for (int i = 0; i < k; i++) {
          MemoryMessage got = small.memories().get(i);
          MemoryMessage expected = want.get(i);
          String where = String.format("query '%s', k %d, rank %d, seed %d", query, k, i, seed);
          assertThat(got.score()).as(where).isCloseTo(expected.score(), within(1e-6));
          if (!got.memoryId().equals(expected.memoryId())) {
            assertThat(reference.memories().stream().map(MemoryMessage::memoryId))
                .as(where)
                .contains(got.memoryId());
          }
        }
      }
    } finally {
      System.setErr(original);
    }
    assertThat(compared).isEqualTo(40);
    assertThat(skipped).as("queries that skipped the scan, seed %d", seed).isGreaterThan(10);
  }

  /**
   * One of 104 words: few enough that queries match many memories, enough that a two-word query
   * matches fewer than the reference's top k of 100.
   */
  private static String word(Random random) {
    return WORDS[random.nextInt(WORDS.length)] + "x" + random.nextInt(4);
  }

  private static boolean lastRecallScanned(ByteArrayOutputStream err) throws Exception {
    JsonNode last = null;
    for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.contains("\"op\": \"recall\"")) {
        last = new ObjectMapper().readTree(line);
      }
    }
    assertThat(last).as("a recall trace line").isNotNull();
    boolean scanned = last.get("vector_scan").asBoolean();
    // The line splits the recall's time by stage; a skipped scan took none.
    for (String stage : new String[] {"embed_ms", "keyword_ms", "vector_ms"}) {
      assertThat(last.path(stage).isNumber()).as("%s in %s", stage, last).isTrue();
      assertThat(last.get(stage).asDouble()).as(stage).isGreaterThanOrEqualTo(0);
    }
    assertThat(last.get("keyword_ms").asDouble() + last.get("vector_ms").asDouble())
        .isLessThanOrEqualTo(last.get("ms").asDouble() + 0.02); // each rounded to 0.01
    if (!scanned) {
      assertThat(last.get("vector_ms").asDouble()).as("a skipped scan").isZero();
    }
    return scanned;
  }
}
