package dev.hotmem.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotmem.ErrorCode;
import dev.hotmem.HotMemException;
import dev.hotmem.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.event.Level;

class TracerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-24T06:50:01.123Z"), ZoneOffset.UTC);

  private final List<String> lines = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Tracer tracer = Tracer.toSink(lines::add, CLOCK, nanos::get);

  @AfterEach
  void restoreSlf4j() {
    RecordingSlf4jProvider.setInfoEnabled(true);
    RecordingSlf4jProvider.clear();
  }

  @Test
  void writesTheDocumentedLineFormatExactly() {
    Tracer.Span span = tracer.start("search", "recall");
    nanos.addAndGet(1_420_000L);
    span.put("candidates", 83).put("count", 5);
    span.end();

    assertThat(lines)
        .containsExactly(
            "{\"ts\": \"2026-11-24T06:50:01.123Z\", \"component\": \"search\", \"op\": \"recall\","
                + " \"ms\": 1.42, \"candidates\": 83, \"count\": 5}");
  }

  @Test
  void aLineCanBeFoundWithTheDocumentedGrep() {
    tracer.start("search", "recall").end();

    assertThat(lines.get(0)).contains("\"component\": \"search\"").contains("\"op\": \"recall\"");
  }

  @Test
  void writesEveryValueKindAndTheErrorCodeLast() {
    Tracer.Span span = tracer.start("store", "remember");
    span.put("count", -7L)
        .put("score", 0.25)
        .put("nan", Double.NaN)
        .put("huge", Double.POSITIVE_INFINITY)
        .put("duplicate", true)
        .put("cached", false)
        .put("namespace", "default")
        .put("category", (String) null)
        .error(ErrorCode.BUSY);
    span.end();

    assertThat(lines)
        .containsExactly(
            "{\"ts\": \"2026-11-24T06:50:01.123Z\", \"component\": \"store\", \"op\": \"remember\","
                + " \"ms\": 0.00, \"count\": -7, \"score\": 0.25, \"nan\": null, \"huge\": null,"
                + " \"duplicate\": true, \"cached\": false, \"namespace\": \"default\","
                + " \"category\": null, \"error\": \"busy\"}");
  }

  @Test
  void errorFromAThrowableUsesItsStableCodeOrElseItsClassName() {
    tracer.start("store", "get").error(new HotMemException.NotFound("no memory m-1")).end();
    tracer.start("store", "get").error(new IllegalStateException("bug")).end();

    assertThat(parse(lines.get(0)).get("error").asText()).isEqualTo("not_found");
    assertThat(parse(lines.get(1)).get("error").asText())
        .isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void puttingAKeyAgainReplacesTheValueInPlace() {
    tracer.start("search", "recall").put("count", 1).put("k", 2).put("count", 3).end();

    assertThat(lines.get(0)).endsWith("\"count\": 3, \"k\": 2}");
  }

  @Test
  void reservedKeysAreRejectedEvenWhenTracingIsOff() {
    for (Tracer any : List.of(tracer, Tracer.off())) {
      for (String reserved : List.of("ts", "component", "op", "ms", "error")) {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> any.start("search", "recall").put(reserved, 1))
            .withMessageContaining("\"" + reserved + "\"");
      }
      assertThatNullPointerException().isThrownBy(() -> any.start("a", "b").put(null, "x"));
    }
  }

  @Test
  void hostileStringsAreEscapedOntoOneAsciiLine() throws Exception {
    String hostile = "say \"hi\"\n\r\t\b\f \\ / \u0000\u001f\u007f é 😀 \u2028 }{\"x\": 1";
    tracer.start("search", "recall").put("query", hostile).put("key \"quoted\"\n", 1).end();

    String line = lines.get(0);
    assertThat(line)
        .contains(
            "\"query\": \"say \\\"hi\\\"\\n\\r\\t\\b\\f \\\\ / \\u0000\\u001f\\u007f \\u00e9"
                + " \\ud83d\\ude00 \\u2028 }{\\\"x\\\": 1\"")
        .contains("\"key \\\"quoted\\\"\\n\": 1");
    assertThat(line.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    JsonNode parsed = parse(line);
    assertThat(parsed.get("query").asText()).isEqualTo(hostile);
    assertThat(parsed.get("key \"quoted\"\n").asInt()).isEqualTo(1);
    assertThat(parsed.size()).isEqualTo(6);
  }

  @Test
  void loneSurrogatesBecomeReplacementCharactersSoTheLineStaysValidJson() {
    tracer.start("search", "recall").put("q", "a\uD83D b\uDE00 😀 \uD83D").end();

    assertThat(lines.get(0)).endsWith("\"q\": \"a\\ufffd b\\ufffd \\ud83d\\ude00 \\ufffd\"}");
    assertThat(parse(lines.get(0)).get("q").asText()).isEqualTo("a\uFFFD b\uFFFD 😀 \uFFFD");
  }

  @Test
  void componentAndOperationAreEscapedToo() {
    tracer.start("se\"arch", "re\ncall").end();

    JsonNode parsed = parse(lines.get(0));
    assertThat(parsed.get("component").asText()).isEqualTo("se\"arch");
    assertThat(parsed.get("op").asText()).isEqualTo("re\ncall");
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0.00",
    "4999, 0.00",
    "5000, 0.01",
    "990000, 0.99",
    "1420000, 1.42",
    "1425000, 1.43",
    "9995000, 10.00",
    "123456789000, 123456.79",
  })
  void durationsHaveExactlyTwoDecimals(long elapsedNanos, String expected) {
    StringBuilder out = new StringBuilder();
    Tracer.appendMillis(out, elapsedNanos);
    assertThat(out).hasToString(expected);
  }

  @Test
  void timestampIsTheStartInUtcWithMillisecondsAlwaysShown() {
    List<String> out = new ArrayList<>();
    Clock wholeSecond = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.ofHours(9));
    Clock subMillis = Clock.fixed(Instant.parse("2026-01-02T03:04:05.987654321Z"), ZoneOffset.UTC);

    Tracer.toSink(out::add, wholeSecond, nanos::get).start("a", "b").end();
    Tracer.toSink(out::add, subMillis, nanos::get).start("a", "b").end();

    assertThat(out.get(0)).startsWith("{\"ts\": \"2026-01-02T03:04:05.000Z\", ");
    assertThat(out.get(1)).startsWith("{\"ts\": \"2026-01-02T03:04:05.987Z\", ");
  }

  @Test
  void aSpanIsWrittenOnceAndIgnoresLaterCalls() {
    Tracer.Span span = tracer.start("search", "recall");
    try (span) {
      span.put("count", 1);
      span.end();
      span.put("count", 2).put("late", "x").error(ErrorCode.CONFLICT);
    }
    span.end();

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).endsWith("\"count\": 1}");
  }

  @Test
  void stderrModeWritesWholeLinesToTheGivenStream() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Tracer stderr =
        Tracer.create(Tracing.STDERR, CLOCK, new PrintStream(bytes, false, StandardCharsets.UTF_8));

    stderr.start("search", "recall").put("count", 5).put("query", "naïve 😀").end();
    stderr.start("store", "forget").end();

    String[] written = bytes.toString(StandardCharsets.UTF_8).split("\n", -1);
    assertThat(written).hasSize(3);
    assertThat(written[2]).isEmpty();
    assertThat(written[0]).startsWith("{\"ts\": \"2026-11-24T06:50:01.123Z\", \"component\": ");
    assertThat(parse(written[0]).get("query").asText()).isEqualTo("naïve 😀");
    assertThat(parse(written[1]).get("op").asText()).isEqualTo("forget");
  }

  @Test
  void offEmitsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Tracer off =
        Tracer.create(Tracing.OFF, CLOCK, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    Tracer.Span span = off.start("search", "recall");
    span.put("count", 5).put("query", "x").error(ErrorCode.BUSY).end();
    span.close();

    assertThat(off.enabled()).isFalse();
    assertThat(off).isSameAs(Tracer.off());
    assertThat(span).isSameAs(Tracer.off().start("store", "remember"));
    assertThat(bytes.size()).isZero();
    assertThat(RecordingSlf4jProvider.events()).isEmpty();
  }

  @Test
  void offAllocatesNothingPerSpan() {
    assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "needs HotSpot's per-thread allocation counter");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemoryEnabled(), "allocation counter disabled");
    Tracer off = Tracer.off();
    for (int i = 0; i < 20_000; i++) {
      traceOneOperation(off, i);
    }

    int spans = 1_000_000;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < spans; i++) {
      traceOneOperation(off, i);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    // Less than one byte per span: a single allocation per span would show at least 16 MB.
    assertThat(allocated).isLessThan(spans);
  }

  private static void traceOneOperation(Tracer tracer, int i) {
    Tracer.Span span = tracer.start("search", "recall");
    span.put("candidates", i).put("score", i * 0.5).put("cached", (i & 1) == 0);
    span.put("namespace", "default").error(ErrorCode.NOT_FOUND);
    span.end();
  }

  @Test
  void slf4jModeLogsTheLineAtInfoOnTheTraceLogger() {
    RecordingSlf4jProvider.clear();
    Tracer slf4j = Tracer.create(Tracing.SLF4J, CLOCK);

    slf4j.start("search", "recall").put("count", 5).put("pattern", "{} stays {}").end();

    assertThat(RecordingSlf4jProvider.events()).hasSize(1);
    RecordingSlf4jProvider.Event event = RecordingSlf4jProvider.events().get(0);
    assertThat(event.logger()).isEqualTo("dev.hotmem.trace");
    assertThat(event.level()).isEqualTo(Level.INFO);
    assertThat(event.message())
        .startsWith("{\"ts\": \"2026-11-24T06:50:01.123Z\", \"component\": \"search\"")
        .endsWith("\"count\": 5, \"pattern\": \"{} stays {}\"}")
        .doesNotContain("\n");
  }

  @Test
  void slf4jModeWithInfoDisabledTracesNothing() {
    RecordingSlf4jProvider.setInfoEnabled(false);
    Tracer slf4j = Tracer.create(Tracing.SLF4J, CLOCK);

    Tracer.Span span = slf4j.start("search", "recall");
    span.put("count", 5).end();

    assertThat(slf4j.enabled()).isFalse();
    assertThat(span).isSameAs(Tracer.off().start("search", "recall"));
    assertThat(RecordingSlf4jProvider.events()).isEmpty();
  }

  @Test
  void concurrentSpansNeverInterleaveLines() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // Not auto-flushing and through a tiny buffer, so a line written in pieces would interleave.
    PrintStream stream =
        new PrintStream(new java.io.BufferedOutputStream(bytes, 16), false, StandardCharsets.UTF_8);
    Tracer shared = Tracer.create(Tracing.STDERR, Clock.systemUTC(), stream);
    int threads = 8;
    int spansPerThread = 1_000;
    String payload = "line \"breaks\"\nand unicode 😀 ".repeat(8);

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < spansPerThread; i++) {
                    Tracer.Span span = shared.start("search", "recall");
                    span.put("thread", thread).put("i", i).put("payload", payload);
                    span.end();
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    String[] written = bytes.toString(StandardCharsets.UTF_8).split("\n", -1);
    assertThat(written).hasSize(threads * spansPerThread + 1);
    assertThat(written[written.length - 1]).isEmpty();
    Set<String> seen = new HashSet<>();
    for (int n = 0; n < written.length - 1; n++) {
      JsonNode line = parse(written[n]);
      assertThat(line.get("component").asText()).isEqualTo("search");
      assertThat(line.get("payload").asText()).isEqualTo(payload);
      seen.add(line.get("thread").asInt() + "/" + line.get("i").asInt());
    }
    assertThat(seen).hasSize(threads * spansPerThread);
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not one JSON object: " + line, e);
    }
  }
}
