package dev.hotmem.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The generic servlet hook: a servlet mounted next to {@code /v1} answers on the same port, behind
 * the same token, may answer asynchronously, and is destroyed when the server stops.
 */
class MountedServletTest extends ServerFixture {
  static final String TOKEN = "mount-token";
  final EchoServlet echo = new EchoServlet();

  @Override
  void configure(HotMemServer.Builder builder) {
    builder.token(TOKEN).servlet("/echo", echo);
  }

  @Test
  void answersAtItsPathAndBelowItBehindTheToken() {
    String auth = "Bearer " + TOKEN;
    Reply r = get("/echo", "Authorization", auth);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.response().body()).isEqualTo("GET /echo");
    assertThat(r.header("X-HotMem-Trace-Id")).isNotBlank();
    assertThat(get("/echo/deeper", "Authorization", auth).response().body())
        .isEqualTo("GET /echo/deeper");
    assertThat(post("/echo", "{}", "Authorization", auth).response().body())
        .isEqualTo("POST /echo");
    // The API is still there, and an unknown path is still the API's JSON 404.
    assertThat(get("/v1/health", "Authorization", auth).status()).isEqualTo(200);
    assertError(get("/echoes", "Authorization", auth), 404, "not_found");
  }

  @Test
  void theTokenRulesApplyToIt() {
    assertError(get("/echo"), 401, "unauthorized");
    assertError(post("/echo", "{}", "Authorization", "Bearer wrong"), 401, "unauthorized");
    assertThat(echo.calls.get()).isZero();
  }

  @Test
  void mayAnswerAsynchronously() {
    Reply r = get("/echo/async", "Authorization", "Bearer " + TOKEN);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.response().body()).isEqualTo("later");
  }

  @Test
  void requestsRunOnTheServersPlatformThreads() {
    // Virtual threads gave 1-17 s stalls under saturation (HotMemServer.threadPool); on JDK 21+
    // this checks that no configuration change brought them back.
    Reply r = get("/echo/thread", "Authorization", "Bearer " + TOKEN);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.response().body()).startsWith("hotmem-http").endsWith("virtual=false");
  }

  @Test
  void isDestroyedWhenTheServerStops() {
    server.close();
    assertThat(echo.destroyed).isTrue();
  }

  @Test
  void badPathsAreRefused() {
    HotMemServer.Builder b = HotMemServer.builder(hotMem).fileRoot(files);
    for (String path : new String[] {"", "mcp", "/", "/mcp/", "/a b", "/v1", "/v1/mcp", "/*"}) {
      assertThatThrownBy(() -> b.servlet(path, new EchoServlet()))
          .as(path)
          .isInstanceOf(IllegalArgumentException.class);
    }
    b.servlet("/mcp", new EchoServlet());
    assertThatThrownBy(() -> b.servlet("/mcp", new EchoServlet()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }

  /** Answers "METHOD path"; under /async it answers from another thread. */
  static final class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    final transient AtomicInteger calls = new AtomicInteger();
    volatile boolean destroyed;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      calls.incrementAndGet();
      res.setContentType("text/plain");
      if (req.getRequestURI().endsWith("/thread")) {
        Thread t = Thread.currentThread();
        res.getOutputStream()
            .write((t.getName() + " virtual=" + isVirtual(t)).getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (req.getRequestURI().endsWith("/async")) {
        AsyncContext async = req.startAsync();
        async.start(
            () -> {
              try {
                res.getOutputStream().write("later".getBytes(StandardCharsets.UTF_8));
              } catch (IOException e) {
                res.setStatus(500);
              }
              async.complete();
            });
        return;
      }
      res.getOutputStream()
          .write((req.getMethod() + " " + req.getRequestURI()).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code Thread.isVirtual()} where the runtime has it (21+; compiled for 17). */
    private static boolean isVirtual(Thread t) {
      try {
        return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
      } catch (ReflectiveOperationException e) {
        return false;
      }
    }

    @Override
    public void destroy() {
      destroyed = true;
    }
  }
}
