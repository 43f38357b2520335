package dev.hotmem.app;

import dev.hotmem.embed.Embedder;
import dev.hotmem.facts.FactConfig;
import dev.hotmem.facts.FactMemory;
import dev.hotmem.mcp.HotMemMcp;
import dev.hotmem.mcp.McpHttpEndpoint;
import dev.hotmem.server.HotMemServer;
import dev.hotmem.swap.HydrateResult;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hotmem serve}: the HTTP sidecar. Opens the store, starts the server, prints one line and
 * waits. SIGTERM / SIGINT shut it down gracefully: the server finishes in-flight requests, then the
 * store is closed (a mount refreshes swap.jsonl and manifest.json; a file is checkpointed), and the
 * process exits 0 (1 if closing failed).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a store over HTTP (/v1, JSON; MCP over Streamable HTTP at /mcp) until SIGTERM or"
          + " Ctrl-C.",
      "With neither --mount nor --db it serves a new store in a temporary directory and says where.",
      "A mount with a swap.jsonl and no database is loaded from the swap file first; a clean"
          + " shutdown refreshes its swap.jsonl and manifest.json."
    })
final class ServeCommand implements Callable<Integer> {
  static final int DEFAULT_PORT = 8711;
  static final String MCP_PATH = "/mcp";

  @ArgGroup(multiplicity = "0..1")
  StoreOptions store;

  @Mixin EmbedderOptions embedder;

  @Mixin FactOptions facts;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8711",
      description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description =
          "Address to bind (default: ${DEFAULT-VALUE}). Anything but loopback needs a token.")
  String host;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:HOTMEM_TOKEN}",
      description =
          "Require 'Authorization: Bearer TOKEN' on every request (default: the HOTMEM_TOKEN"
              + " environment variable).")
  String token;

  @Option(
      names = "--max-body-bytes",
      paramLabel = "BYTES",
      defaultValue = "1048576",
      description = "Larger request bodies are refused with 413 (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    String bearer = token == null || token.isEmpty() ? null : token;
    checkOptions(bearer);
    FactConfig factConfig = facts.config();
    PrintWriter out = spec.commandLine().getOut();
    OpenStore opened;
    if (store == null) {
      opened = OpenStore.temporary(true, db -> embedder.create(db, EmbedderOptions.Default.LOCAL));
      out.println(
          "hotmem: no --mount or --db given; using a temporary store in "
              + opened.fileRoot()
              + " (kept after exit)");
    } else {
      opened = store.open(OpenStore.Access.CREATE, true, embedder, EmbedderOptions.Default.LOCAL);
    }
    opened.warmUpEmbedder();
    HydrateResult loaded = opened.mount() == null ? null : opened.mount().hydratedOnOpen();
    if (loaded != null) {
      out.printf(
          "hotmem: loaded %d memories from %s (%d duplicates skipped)%n",
          loaded.loaded(), opened.defaultSwapFile(), loaded.skippedDupes());
    }
    Embedder used = opened.hotMem().config().embedder();
    out.println(
        "hotmem: embedder "
            + (used.spec() != null ? used.spec() : used.id())
            + " ("
            + used.id()
            + ", dimension "
            + used.dimension()
            + ")");
    McpHttpEndpoint mcp =
        HotMemMcp.builder(opened.hotMem())
            .namespace(facts.namespace)
            .facts(FactMemory.open(opened.hotMem(), factConfig))
            .version(VersionProvider.version())
            .build()
            .httpEndpoint(MCP_PATH, (int) Math.min(maxBodyBytes, Integer.MAX_VALUE));
    HotMemServer server = start(opened, bearer, mcp);
    Shutdown shutdown = new Shutdown(server, mcp, opened, out, spec.commandLine().getErr());
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "hotmem-shutdown"));
    out.println("hotmem: serving " + opened.location() + " on " + server.baseUrl());
    out.println("hotmem: MCP (Streamable HTTP) at " + server.baseUrl() + MCP_PATH);
    out.flush();
    shutdown.awaitStop();
    return CliErrors.OK;
  }

  private void checkOptions(String bearer) {
    if (port < 0 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--port must be between 0 and 65535; found " + port);
    }
    if (maxBodyBytes < 1) {
      throw new ParameterException(
          spec.commandLine(), "--max-body-bytes must be positive; found " + maxBodyBytes);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "--host " + host + " does not resolve");
    }
    if (bearer == null && !address.isLoopbackAddress()) {
      throw new ParameterException(
          spec.commandLine(),
          "refusing to serve on "
              + host
              + " without a token: anything but a loopback address needs --token or HOTMEM_TOKEN");
    }
  }

  private HotMemServer start(OpenStore opened, String bearer, McpHttpEndpoint mcp) {
    try {
      return HotMemServer.builder(opened.hotMem())
          .host(host)
          .port(port)
          .token(bearer)
          .maxBodyBytes(maxBodyBytes)
          .fileRoot(opened.fileRoot())
          .defaultSwapFile(opened.defaultSwapFile())
          .version(VersionProvider.version())
          .servlet(MCP_PATH, mcp.servlet())
          .start();
    } catch (IllegalArgumentException e) {
      mcp.close();
      opened.close();
      throw new CliErrors.UsageError(e.getMessage());
    } catch (RuntimeException e) {
      mcp.close();
      opened.close();
      throw e;
    }
  }

  /** The graceful stop, run by the JVM's shutdown hook on SIGTERM / SIGINT. */
  private static final class Shutdown {
    private final HotMemServer server;
    private final McpHttpEndpoint mcp;
    private final OpenStore opened;
    private final PrintWriter out;
    private final PrintWriter err;
    private final CountDownLatch stopped = new CountDownLatch(1);

    Shutdown(
        HotMemServer server,
        McpHttpEndpoint mcp,
        OpenStore opened,
        PrintWriter out,
        PrintWriter err) {
      this.server = server;
      this.mcp = mcp;
      this.opened = opened;
      this.out = out;
      this.err = err;
    }

    void awaitStop() throws InterruptedException {
      stopped.await();
    }

    void run() {
      out.println("hotmem: stopping (finishing in-flight requests)");
      out.flush();
      int code = CliErrors.OK;
      try {
        server.close();
      } catch (RuntimeException e) {
        err.println("hotmem: error: stopping the server: " + CliErrors.describe(e));
        code = CliErrors.RUNTIME;
      }
      try {
        mcp.close();
      } catch (RuntimeException e) {
        err.println("hotmem: error: stopping MCP: " + CliErrors.describe(e));
        code = CliErrors.RUNTIME;
      }
      try {
        opened.close();
      } catch (RuntimeException e) {
        err.println("hotmem: error: closing " + opened.location() + ": " + CliErrors.describe(e));
        code = CliErrors.RUNTIME;
      }
      if (code == CliErrors.OK) {
        out.println(
            "hotmem: stopped"
                + (opened.mount() != null
                    ? "; swap.jsonl and manifest.json refreshed"
                    : "; store checkpointed"));
      }
      out.flush();
      err.flush();
      stopped.countDown();
      // Exit with the outcome of the shutdown rather than the JVM's 143 for SIGTERM, so a clean
      // stop reads as success to service managers and scripts.
      Runtime.getRuntime().halt(code);
    }
  }
}
