package dev.hotmem.app;

import dev.hotmem.facts.FactConfig;
import dev.hotmem.facts.FactMemory;
import dev.hotmem.mcp.HotMemMcp;
import dev.hotmem.mcp.McpStdioServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hotmem mcp}: an MCP server over standard input and output, for an agent (Claude Code,
 * Claude Desktop, Cursor, VS Code...) that starts it as a child process. Standard output carries
 * the protocol and nothing else: every message of ours and every library's log goes to standard
 * error. The session ends when the client closes standard input; then, or on SIGTERM, the store is
 * closed cleanly.
 */
@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the memory tools over MCP on standard input/output (for Claude Code, Cursor...).",
      "With neither --mount nor --db it uses the store named by HOTMEM_DB, else"
          + " ~/.hotmem/memory.sqlite (created if missing), so memories outlive the session.",
      "Standard output is the protocol; messages and logs go to standard error."
    })
final class McpCommand implements Callable<Integer> {
  static final String ENV_DB = "HOTMEM_DB";

  @ArgGroup(multiplicity = "0..1")
  StoreOptions store;

  @Mixin EmbedderOptions embedder;

  @Mixin FactOptions facts;

  @Option(
      names = "--trace",
      description =
          "Write one trace line (JSON) per operation to standard error: how long each store"
              + " operation, embedding and recall stage took.")
  boolean trace;

  @Spec CommandSpec spec;

  /** The streams of the protocol; tests of this package replace them. */
  static InputStream protocolIn = new FileInputStream(FileDescriptor.in);

  static OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);

  @Override
  public Integer call() throws InterruptedException {
    // Whatever a library prints to System.out would corrupt the protocol: send it to stderr.
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8));
    PrintWriter err = spec.commandLine().getErr();
    try {
      return serve(err);
    } finally {
      System.setOut(stdout);
    }
  }

  private int serve(PrintWriter err) throws InterruptedException {
    FactConfig factConfig = facts.config();
    OpenStore opened = open();
    McpStdioServer server;
    try {
      server =
          HotMemMcp.builder(opened.hotMem())
              .namespace(facts.namespace)
              .facts(FactMemory.open(opened.hotMem(), factConfig))
              .version(VersionProvider.version())
              .build()
              .serveStdio(protocolIn, protocolOut);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    Closer closer = new Closer(server, opened, err);
    Thread hook = new Thread(closer::close, "hotmem-mcp-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    err.println("hotmem: MCP on stdio over " + opened.location());
    err.flush();
    // Once the server is up, not before: loading beside the start made initialize 0.3 s slower.
    opened.warmUpEmbedder();
    server.awaitInputEnd();
    int code = closer.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting (SIGTERM): the hook runs or ran the same close.
    }
    return code;
  }

  private OpenStore open() {
    if (store != null) {
      return store.open(OpenStore.Access.CREATE, trace, embedder, EmbedderOptions.Default.LOCAL);
    }
    Path db = defaultDatabase();
    try {
      Files.createDirectories(db.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of " + db, e);
    }
    return OpenStore.db(
        db,
        OpenStore.Access.CREATE,
        trace,
        file -> embedder.create(file, EmbedderOptions.Default.LOCAL));
  }

  /** {@value #ENV_DB}, else {@code ~/.hotmem/memory.sqlite}. */
  static Path defaultDatabase() {
    String env = EmbedderOptions.environment.apply(ENV_DB);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".hotmem", "memory.sqlite");
  }

  /** Closes the session, then the store, once, from the main thread or the shutdown hook. */
  private static final class Closer {
    private final McpStdioServer server;
    private final OpenStore opened;
    private final PrintWriter err;
    private Integer code;

    Closer(McpStdioServer server, OpenStore opened, PrintWriter err) {
      this.server = server;
      this.opened = opened;
      this.err = err;
    }

    synchronized int close() {
      if (code != null) {
        return code;
      }
      code = CliErrors.OK;
      try {
        server.close();
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
      err.flush();
      return code;
    }
  }
}
