package dev.hotmem.server;

import dev.hotmem.HotMem;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.util.JavalinBindException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Servlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HotMem's HTTP API ({@code /v1}, JSON in and out) over one {@link HotMem}, on Javalin and Jetty
 * 12. Thread-safe; requests run on a bounded pool of platform threads (see {@link #threadPool}).
 *
 * <p>Every response carries the header {@code X-HotMem-Trace-Id}; JSON answers carry {@code
 * trace_ms}; every error is {@code {"error": {"code", "message", "field"?}}}. The API is described
 * in docs/HTTP.md and served as OpenAPI 3.1 at {@code /v1/openapi.json}.
 *
 * <p>The server does not own the store: {@link #close()} stops serving and leaves the {@link
 * HotMem} open for its owner to close.
 */
public final class HotMemServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HotMemServer.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  /** Jetty's thread cap (Javalin's default), which is also the cap on requests in progress. */
  private static final int MAX_PLATFORM_THREADS = 250;

  private final Javalin app;
  private final RequestGate gate;
  private final List<Route> routes;
  private final String host;
  private final int port;
  private boolean closed;

  private HotMemServer(Javalin app, RequestGate gate, List<Route> routes, String host) {
    this.app = app;
    this.gate = gate;
    this.routes = routes;
    this.host = host;
    this.port = app.port();
  }

  /** A builder for a server over {@code hotMem}; {@link Builder#fileRoot} is required. */
  public static Builder builder(HotMem hotMem) {
    return new Builder(Objects.requireNonNull(hotMem, "hotMem"));
  }

  /** The bound port (the ephemeral one when the builder asked for port 0). */
  public int port() {
    return port;
  }

  /** {@code http://host:port}, for the host the server is bound to. */
  public String baseUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port;
  }

  /** Requests between the gate and their answer now (for tests of {@link #close()}). */
  int inFlight() {
    return gate.inFlight();
  }

  /** The routes this server answers, for tests that hold the OpenAPI document against them. */
  List<Route> routes() {
    return routes;
  }

  /**
   * Stops serving, gracefully: stops accepting connections, answers new requests on open
   * connections with 503, waits up to 10 s for requests in flight to finish, then stops Jetty.
   * Idempotent. Does not close the {@link HotMem}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    gate.startClosing();
    for (Connector connector : app.jettyServer().server().getConnectors()) {
      if (connector instanceof ServerConnector) {
        ((ServerConnector) connector).setAccepting(false);
        ((ServerConnector) connector).close();
      }
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    while (gate.inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (gate.inFlight() > 0) {
      LOG.warn("stopping with {} requests still in flight after {}", gate.inFlight(), CLOSE_WAIT);
    }
    app.stop();
  }

  /** Configures and starts a {@link HotMemServer}. Not thread-safe. */
  public static final class Builder {
    private final HotMem hotMem;
    private String host = "127.0.0.1";
    private int port = 8711;
    private String token;
    private long maxBodyBytes = 1024 * 1024;
    private Path fileRoot;
    private Path defaultSwapFile;
    private String version = "dev";
    private final List<MountedServlet> servlets = new ArrayList<>();

    private Builder(HotMem hotMem) {
      this.hotMem = hotMem;
    }

    /** The address to bind; {@code 127.0.0.1} by default. Anything else needs a token. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to bind, 0..65535; 8711 by default, 0 for an ephemeral one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The bearer token every request must carry, or null (the default) for none. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** Largest request body; 1 MiB by default. Larger bodies are refused with 413. */
    public Builder maxBodyBytes(long bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    /** The folder hydrate and snapshot files must be inside (required; created if missing). */
    public Builder fileRoot(Path dir) {
      this.fileRoot = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** The swap file hydrate and snapshot use when the request names none; null for none. */
    public Builder defaultSwapFile(Path file) {
      this.defaultSwapFile = file;
      return this;
    }

    /** The version {@code /v1/health} reports. */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * Serves {@code servlet} at {@code path} (the exact path and everything below it) in the same
     * Jetty, on the same host and port as {@code /v1}. Requests to it pass the same gate as the
     * API: the bearer token, the trace id and line, and the 503 while closing. The servlet may use
     * asynchronous processing (server-sent events). Jetty calls its {@code destroy()} when the
     * server stops; anything else it owns is its owner's to close.
     *
     * <p>This is how a face the server must not know (MCP's Streamable HTTP transport) is served
     * next to the API.
     *
     * @param path an absolute path such as {@code /mcp}: one or more segments of letters, digits,
     *     {@code -}, {@code _} or {@code .}, not under {@code /v1}, not mounted twice
     * @throws IllegalArgumentException for a path that breaks these rules
     */
    public Builder servlet(String path, Servlet servlet) {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(servlet, "servlet");
      if (!path.matches("(/[A-Za-z0-9._-]+)+") || path.contains("/..") || path.endsWith("/.")) {
        throw new IllegalArgumentException(
            "servlet path must look like /name or /name/name (letters, digits, - _ .); found '"
                + path
                + "'");
      }
      if (path.equals("/v1") || path.startsWith("/v1/")) {
        throw new IllegalArgumentException("servlet path " + path + " is inside the API's /v1");
      }
      for (MountedServlet m : servlets) {
        if (m.path().equals(path)) {
          throw new IllegalArgumentException("servlet path " + path + " is mounted twice");
        }
      }
      servlets.add(new MountedServlet(path, servlet));
      return this;
    }

    /**
     * Validates the configuration and starts serving.
     *
     * @throws IllegalArgumentException for a contradictory or invalid configuration, for example a
     *     non-loopback host without a token
     * @throws IllegalStateException when the port cannot be bound
     */
    public HotMemServer start() {
      validate();
      SwapPaths swapPaths;
      try {
        Files.createDirectories(fileRoot);
        swapPaths = new SwapPaths(fileRoot, defaultSwapFile);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "fileRoot " + fileRoot + " is not a usable folder: " + e.getMessage(), e);
      }
      Api api = new Api(hotMem, swapPaths, maxBodyBytes, version);
      List<Route> routes = api.routes();
      List<String> mountPaths = servlets.stream().map(MountedServlet::path).toList();
      RequestGate gate = new RequestGate(hotMem, token, routes, mountPaths);
      Javalin app =
          Javalin.create(
              config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jetty.threadPool = threadPool();
                config.http.prefer405over404 = true;
                config.http.maxRequestSize = maxBodyBytes;
                config.http.compressionStrategy = CompressionStrategy.NONE;
                config.http.generateEtags = false;
                config.jetty.modifyServletContextHandler(
                    handler -> {
                      FilterHolder gateHolder = new FilterHolder(gate);
                      // A mounted servlet may stream (server-sent events); a filter in front of
                      // an asynchronous servlet must allow it.
                      gateHolder.setAsyncSupported(true);
                      handler.addFilter(gateHolder, "/*", EnumSet.of(DispatcherType.REQUEST));
                      for (MountedServlet m : servlets) {
                        ServletHolder holder = new ServletHolder(m.servlet());
                        holder.setAsyncSupported(true);
                        handler.addServlet(holder, m.path());
                        handler.addServlet(holder, m.path() + "/*");
                      }
                    });
                for (Route route : routes) {
                  config.routes.addHttpHandler(
                      HandlerType.findOrCreate(route.method()), route.path(), wrap(route));
                }
                // Javalin answers unmatched requests itself (404, or 405 when another method
                // fits the path); its error handlers are the hook to make those JSON.
                config.routes.error(404, ctx -> unmatched(ctx, routes));
                config.routes.error(405, ctx -> unmatched(ctx, routes));
                config.routes.exception(Exception.class, HotMemServer::unexpected);
              });
      try {
        app.start(host, port);
      } catch (JavalinBindException e) {
        stopQuietly(app);
        throw new IllegalStateException(
            "port " + port + " on " + host + " is in use (or may not be bound): choose another", e);
      } catch (RuntimeException e) {
        stopQuietly(app);
        throw new IllegalStateException(
            "cannot start the HTTP server on " + host + ":" + port + ": " + e.getMessage(), e);
      }
      return new HotMemServer(app, gate, routes, host);
    }

    private void validate() {
      if (fileRoot == null) {
        throw new IllegalArgumentException(
            "fileRoot is required (hydrate/snapshot stay inside it)");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535; found " + port);
      }
      if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(
            "maxBodyBytes must be between 1 and "
                + (Integer.MAX_VALUE - 16)
                + "; found "
                + maxBodyBytes);
      }
      if (token != null && (token.isBlank() || !token.equals(token.strip()))) {
        throw new IllegalArgumentException("token must not be blank or padded with spaces");
      }
      boolean loopback;
      try {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        loopback = addresses.length > 0;
        for (InetAddress a : addresses) {
          loopback &= a.isLoopbackAddress();
        }
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("host " + host + " does not resolve", e);
      }
      if (!loopback && token == null) {
        throw new IllegalArgumentException(
            "host " + host + " is not a loopback address: a token is required to serve on it");
      }
    }
  }

  /** A servlet the builder was asked to serve at {@code path}. */
  private record MountedServlet(String path, Servlet servlet) {}

  /**
   * Jetty's threads, requests included: a pool of platform threads (8 to {@value
   * #MAX_PLATFORM_THREADS}) on every runtime.
   *
   * <p>Not virtual threads, although JDK 21+ has them. A request's work is CPU-bound (FTS5 in JNI,
   * the vector search) and never yields; with Javalin's {@code useVirtualThreads} (every Jetty
   * thread virtual, the selectors too) 8 closed-loop clients on 2 cores saw p99 180 ms and a 1 s
   * maximum while the server's own spans said p99 6 ms, and with virtual threads for requests only
   * (platform selectors) the maximum reached 17 s: the scheduler left some runnable requests
   * waiting behind others. Platform threads, time-sliced by the kernel, gave p99 25 ms and a 55 ms
   * maximum under the same load, and lower tails at every open-loop rate measured
   * (docs/BENCHMARKS.md, "HTTP", session 7).
   */
  static QueuedThreadPool threadPool() {
    QueuedThreadPool pool = new QueuedThreadPool(MAX_PLATFORM_THREADS, 8, 60_000);
    pool.setName("hotmem-http");
    return pool;
  }

  /** Runs one route's handler; every failure becomes a JSON error answer. */
  private static Handler wrap(Route route) {
    return ctx -> {
      try {
        route.handler().handle(ctx);
      } catch (Exception e) {
        Responses.error(ctx.req(), ctx.res(), Errors.map(e, Exchange.traceId(ctx.req())));
      }
    };
  }

  /**
   * Makes Javalin's own 404 / 405 answers JSON. Error handlers also run after a route answered 404
   * itself (an unknown memory id); that answer is complete (committed) and is left alone.
   */
  private static void unmatched(Context ctx, List<Route> routes) throws IOException {
    if (ctx.res().isCommitted()) {
      return;
    }
    String method = ctx.req().getMethod();
    String path = ctx.req().getRequestURI();
    ApiError error;
    if (ctx.res().getStatus() == 405) {
      String allow =
          routes.stream()
              .filter(r -> r.matches(path))
              .map(Route::method)
              .collect(Collectors.toCollection(TreeSet::new))
              .stream()
              .collect(Collectors.joining(", "));
      ctx.header("Allow", allow);
      error =
          new ApiError(
              405, "method_not_allowed", null, method + " is not allowed here; use " + allow);
    } else {
      error = new ApiError(404, "not_found", null, "no such endpoint: " + method + " " + path);
    }
    ctx.status(error.status())
        .contentType(Responses.JSON)
        .result(Responses.errorBytes(ctx.req(), error));
  }

  /** A failure outside every route handler (they catch their own): a generic 500. */
  private static void unexpected(Exception e, Context ctx) {
    ApiError error = Errors.map(e, Exchange.traceId(ctx.req()));
    if (!ctx.res().isCommitted()) {
      try {
        ctx.status(error.status())
            .contentType(Responses.JSON)
            .result(Responses.errorBytes(ctx.req(), error));
      } catch (IOException io) {
        throw new UncheckedIOException(io);
      }
    }
  }

  private static void stopQuietly(Javalin app) {
    try {
      app.stop();
    } catch (RuntimeException ignored) {
      // Already failing to start; the start failure is what the caller needs to see.
    }
  }
}
