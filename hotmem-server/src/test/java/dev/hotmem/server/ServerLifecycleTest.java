package dev.hotmem.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Configuration checks, binding, trace ids and lines, busy stores and graceful close. */
class ServerLifecycleTest extends ServerFixture {

  @Test
  void everyResponseHasItsOwnTraceId() {
    Set<String> ids = new HashSet<>();
    for (Reply r :
        new Reply[] {
          get("/v1/health"),
          post("/v1/add", "{\"fact\": \"x\"}"),
          post("/v1/add", "{bad"),
          get("/v1/nowhere"),
          send("PUT", "/v1/health", null),
          get("/v1/openapi.json")
        }) {
      String id = r.header(Exchange.TRACE_HEADER);
      assertThat(id).matches("[0-9a-f]{16}");
      ids.add(id);
    }
    assertThat(ids).hasSize(6);
  }

  @Test
  void aNonLoopbackHostNeedsAToken() {
    assertThatThrownBy(() -> start(b -> b.host("0.0.0.0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token");
    assertThatThrownBy(() -> start(b -> b.token("  ")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contradictoryConfigurationFailsFast() {
    assertThatThrownBy(() -> HotMemServer.builder(hotMem).port(0).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fileRoot");
    assertThatThrownBy(() -> start(b -> b.maxBodyBytes(0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> start(b -> b.port(70_000)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPortInUseIsAClearIllegalStateException() {
    assertThatThrownBy(() -> start(b -> b.port(server.port())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("port " + server.port() + " on 127.0.0.1 is in use");
  }

  @Test
  void localhostWorksWithoutToken() {
    try (HotMemServer other = start(b -> b.host("localhost"))) {
      assertThat(other.baseUrl()).isEqualTo("http://localhost:" + other.port());
      assertThat(other.port()).isNotEqualTo(server.port());
    }
  }

  @Test
  void closeIsIdempotentAndLeavesTheStoreOpen() {
    server.close();
    server.close();
    assertThat(hotMem.count()).isZero();
    assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void closeLetsAnInFlightRequestFinish() throws Exception {
    String body = "{\"identifier\": \"slow\", \"fact\": \"arrived during close\"}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    int half = bytes.length / 2;
    AtomicLong closedAt = new AtomicLong();
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/add HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Connection: close\r\nContent-Length: "
                  + bytes.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes, 0, half);
      out.flush();
      awaitTrue(() -> server.inFlight() == 1, "the request to be in flight");

      Thread closer =
          new Thread(
              () -> {
                server.close();
                closedAt.set(System.nanoTime());
              });
      closer.start();
      awaitTrue(() -> refusesConnections(server.port()), "the server to stop accepting");
      assertThat(closer.isAlive()).isTrue();

      long restSentAt = System.nanoTime();
      out.write(bytes, half, bytes.length - half);
      out.flush();
      String answer = readAll(s.getInputStream());
      closer.join(15_000);
      assertThat(closer.isAlive()).isFalse();
      assertThat(rawStatus(answer)).as(answer).isEqualTo(201);
      // close() waited for the request, which could not finish before the rest of its body came.
      assertThat(closedAt.get()).isGreaterThan(restSentAt);
    }
    assertThat(hotMem.count()).isEqualTo(1);
  }

  @Test
  void aBusyStoreIs503WithRetryAfter() throws Exception {
    server.close();
    hotMem.close();
    hotMem =
        HotMem.open(
            HotMemConfig.builder(dir.resolve("busy.sqlite"))
                .busyTimeout(Duration.ofMillis(50))
                .build());
    server = start(b -> {});
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("busy.sqlite"));
        Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      Reply r = post("/v1/add", "{\"fact\": \"blocked\"}");
      assertError(r, 503, "busy");
      assertThat(r.header("Retry-After")).isEqualTo("1");
      st.execute("ROLLBACK");
    }
    assertThat(post("/v1/add", "{\"fact\": \"free again\"}").status()).isEqualTo(201);
  }

  @Test
  void everyRequestWritesOneTraceLine() {
    server.close();
    hotMem.close();
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      hotMem =
          HotMem.open(
              HotMemConfig.builder(dir.resolve("traced.sqlite")).tracing(Tracing.STDERR).build());
      server = start(b -> {});
      Reply ok = post("/v1/search", "{\"query\": \"anything\"}");
      Reply bad = get("/v1/nowhere");
      server.close();
      server = null;
      String lines = captured.toString(StandardCharsets.UTF_8);
      String search =
          lines.lines().filter(l -> l.contains("\"POST /v1/search\"")).findFirst().orElseThrow();
      assertThat(search)
          .contains("\"component\": \"http\"")
          .contains("\"status\": 200")
          .contains("\"trace_id\": \"" + ok.header(Exchange.TRACE_HEADER) + "\"");
      String unmatched =
          lines.lines().filter(l -> l.contains("\"GET unmatched\"")).findFirst().orElseThrow();
      assertThat(unmatched).contains("\"status\": 404").contains(bad.header(Exchange.TRACE_HEADER));
      assertThat(lines.lines().filter(l -> l.contains("\"component\": \"http\"")).count())
          .isEqualTo(2);
    } finally {
      System.setErr(saved);
    }
  }

  static boolean refusesConnections(int port) {
    try {
      new Socket("127.0.0.1", port).close();
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Polls a condition (bounded): waits for an event, not for time to pass. */
  static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(2);
    }
  }
}
