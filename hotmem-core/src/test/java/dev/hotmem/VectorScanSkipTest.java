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
      fill(mem, random);
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
   * Once the graph index serves, a lone recall starts its vector search before the keyword stage;
   * recalls that find more recalls running than there are cores wait for the keywords and skip the
   * search when they decide the top k. Either way the answer is the one a full search gives.
   */
  @Test
  void underLoadAGraphSearchWaitsForTheKeywordsAndMaySkip() throws Exception {
    long seed = Long.getLong("hotmem.seed", System.nanoTime());
    Random random = new Random(seed);
    MutableClock clock = new MutableClock();
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int threads = 4 * Runtime.getRuntime().availableProcessors();
    List<String> queries = new ArrayList<>();
    List<Integer> ks = new ArrayList<>();
    for (int q = 0; q < 60; q++) {
      queries.add(word(random) + " " + word(random));
      ks.add(1 + random.nextInt(8));
    }
    try (HotMem mem =
        HotMem.open(
            HotMemConfig.ephemeral()
                .clock(clock)
                .accessWeight(0)
                .annThreshold(100) // 400 memories: the graph serves
                .tracing(Tracing.STDERR)
                .build())) {
      fill(mem, random);
      clock.advance(Duration.ofDays(3));

      err.reset();
      mem.recall(RecallQuery.builder(queries.get(0)).topK(ks.get(0)).build());
      JsonNode alone = lastRecall(err);
      assertThat(alone.get("vector_early").asBoolean()).as("a lone recall, " + alone).isTrue();
      assertThat(alone.get("vector_scan").asBoolean()).isTrue();

      // Every thread runs every query, all at once; each answer must equal the sequential one.
      // The reference: a top 100, which the keywords never decide, so it always searches.
      List<List<MemoryMessage>> want = new ArrayList<>();
      for (String query : queries) {
        want.add(mem.recall(RecallQuery.builder(query).topK(100).build()).memories());
      }
      err.reset();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
      List<java.util.concurrent.Future<List<List<MemoryMessage>>>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  List<List<MemoryMessage>> got = new ArrayList<>();
                  for (int q = 0; q < queries.size(); q++) {
                    got.add(
                        mem.recall(RecallQuery.builder(queries.get(q)).topK(ks.get(q)).build())
                            .memories());
                  }
                  return got;
                }));
      }
      for (var run : runs) {
        List<List<MemoryMessage>> got = run.get(2, java.util.concurrent.TimeUnit.MINUTES);
        for (int q = 0; q < queries.size(); q++) {
          assertThat(got.get(q)).hasSize(ks.get(q));
          List<String> reference = ids(want.get(q));
          for (int i = 0; i < ks.get(q); i++) {
            String where = String.format("query '%s', rank %d, seed %d", queries.get(q), i, seed);
            // As above: equal scores to 1e-6, and only such ties may swap.
            assertThat(got.get(q).get(i).score())
                .as(where)
                .isCloseTo(want.get(q).get(i).score(), within(1e-6));
            assertThat(reference).as(where).contains(got.get(q).get(i).memoryId());
          }
        }
      }
      pool.shutdown();
      int waited = 0;
      int skipped = 0;
      for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) {
        if (line.contains("\"op\": \"recall\"")) {
          JsonNode trace = new ObjectMapper().readTree(line);
          if (!trace.get("vector_early").asBoolean()) {
            waited++;
            skipped += trace.get("vector_scan").asBoolean() ? 0 : 1;
          }
        }
      }
      assertThat(waited).as("recalls that found the cores busy, seed %d", seed).isPositive();
      assertThat(skipped).as("of those, searches skipped, seed %d", seed).isPositive();
    } finally {
      System.setErr(original);
    }
  }

  /**
   * A graph search starts early only while recent recalls needed it: after a run of recalls whose
   * keywords decided the top k alone, a lone recall waits for its keywords; after a run that needed
   * the search, the early start is back. The answers stay those of a full search.
   */
  @Test
  void anEarlySearchStartsOnlyWhileRecentRecallsNeededIt() throws Exception {
    long seed = Long.getLong("hotmem.seed", System.nanoTime());
    Random random = new Random(seed);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try (HotMem mem =
        HotMem.open(
            HotMemConfig.ephemeral()
                .accessWeight(0)
                .annThreshold(100) // 400 memories: the graph serves
                .tracing(Tracing.STDERR)
                .build())) {
      fill(mem, random);
      String query = WORDS[0] + "x0 " + WORDS[1] + "x1";
      // A top 1 that a keyword matches: the keywords always decide it.
      for (int i = 0; i < 40; i++) {
        err.reset();
        mem.recall(RecallQuery.builder(query).topK(1).build());
        JsonNode trace = lastRecall(err);
        assertThat(trace.get("vector_needed").asBoolean()).as("%s, seed %d", trace, seed).isFalse();
        assertThat(trace.get("vector_scan").asBoolean())
            .isEqualTo(trace.get("vector_early").asBoolean());
      }
      Thread.sleep(250); // the load meter forgets the burst: only the need decides
      err.reset();
      RecallResult alone = mem.recall(RecallQuery.builder(query).topK(3).build());
      JsonNode trace = lastRecall(err);
      assertThat(trace.get("vector_early").asBoolean()).as("after 40 decided, %s", trace).isFalse();
      List<MemoryMessage> full =
          mem.recall(RecallQuery.builder(query).topK(100).build()).memories();
      for (int i = 0; i < alone.count(); i++) {
        assertThat(alone.memories().get(i).score())
            .as("rank %d, seed %d", i, seed)
            .isCloseTo(full.get(i).score(), within(1e-6));
      }
      // A top 100 the keywords can never fill: every one needs the search.
      for (int i = 0; i < 40; i++) {
        mem.recall(RecallQuery.builder(query).topK(100).build());
      }
      Thread.sleep(250);
      err.reset();
      mem.recall(RecallQuery.builder(query).topK(3).build());
      trace = lastRecall(err);
      assertThat(trace.get("vector_early").asBoolean()).as("after 40 needed, %s", trace).isTrue();
    } finally {
      System.setErr(original);
    }
  }

  /** 400 memories of 3-10 random words and a number, four identifiers, random importance. */
  private static void fill(HotMem mem, Random random) {
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
  }

  private static List<String> ids(List<MemoryMessage> memories) {
    return memories.stream().map(MemoryMessage::memoryId).toList();
  }

  private static JsonNode lastRecall(ByteArrayOutputStream err) throws Exception {
    JsonNode last = null;
    for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.contains("\"op\": \"recall\"")) {
        last = new ObjectMapper().readTree(line);
      }
    }
    assertThat(last).as("a recall trace line").isNotNull();
    return last;
  }

  /**
   * One of 104 words: few enough that queries match many memories, enough that a two-word query
   * matches fewer than the reference's top k of 100.
   */
  private static String word(Random random) {
    return WORDS[random.nextInt(WORDS.length)] + "x" + random.nextInt(4);
  }

  private static boolean lastRecallScanned(ByteArrayOutputStream err) throws Exception {
    JsonNode last = lastRecall(err);
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
