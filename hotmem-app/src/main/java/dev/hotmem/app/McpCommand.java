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
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
    // The store opens on a thread of its own while the MCP server starts here: initialize and
    // tools/list need no store, so a client's handshake does not wait for a large store (3.2-3.4 s
    // at 100,000 memories against 1.2 s for a small one, docs/BENCHMARKS.md); a tool call waits.
    CompletableFuture<OpenStore> opening = new CompletableFuture<>();
    CompletableFuture<FactMemory> factsOpening =
        opening.thenApply(o -> FactMemory.open(o.hotMem(), factConfig));
    // From here on, SIGTERM closes what has been opened (waiting for an opening in progress).
    Closer closer = new Closer(opening, err);
    Thread hook = new Thread(closer::close, "hotmem-mcp-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Thread opener =
        new Thread(
            () -> {
              try {
                opening.complete(open());
              } catch (Throwable e) {
                opening.completeExceptionally(e);
              }
            },
            "hotmem-open");
    opener.setDaemon(true);
    opener.start();
    McpStdioServer server;
    try {
      server =
          HotMemMcp.builder(opening.thenApply(OpenStore::hotMem))
              .namespace(facts.namespace)
              .facts(factsOpening)
              .version(VersionProvider.version())
              .build()
              .serveStdio(protocolIn, protocolOut);
    } catch (RuntimeException e) {
      closer.close();
      removeHook(hook);
      throw e;
    }
    if (!closer.serving(server)) {
      server.close(); // SIGTERM came while the server was starting
    }
    OpenStore opened;
    try {
      factsOpening.join();
      opened = opening.join();
    } catch (CompletionException e) {
      // The store or its fact engine could not be opened: the calls made meanwhile were answered
      // with why; the command ends with it, as when it fails before serving anything.
      closer.close();
      removeHook(hook);
      throw unwrap(e);
    }
    err.println("hotmem: MCP on stdio over " + opened.location());
    err.flush();
    // Once the store is open, not before: loading beside the start made initialize 0.3 s slower.
    opened.warmUpEmbedder();
    server.awaitInputEnd();
    int code = closer.close();
    removeHook(hook);
    return code;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting (SIGTERM): the hook runs or ran the same close.
    }
  }

  /** The failure of the opening, as the opening thread threw it. */
  private static RuntimeException unwrap(CompletionException e) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException(cause.getMessage(), cause);
  }

  private OpenStore open() {
    if (store != null) {
      return store.open(OpenStore.Access.CREATE, trace, embedder, EmbedderOptions.Default.LOCAL);
    }
    Path db = defaultDatabase();
    try {
      createPrivately(db.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of " + db, e);
    }
    return OpenStore.db(
        db,
        OpenStore.Access.CREATE,
        trace,
        file -> embedder.create(file, EmbedderOptions.Default.LOCAL));
  }

  /**
   * Creates {@code dir} if missing, readable by its owner only where the file system has POSIX
   * permissions (as {@code ~/.ssh}): the default store holds what agents remembered, endpoints and
   * keys among it, and a home directory is often readable by everyone. A folder that exists is left
   * as it is.
   */
  static void createPrivately(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException raced) {
      // Another process created it meanwhile (two clients on first use).
      if (!Files.isDirectory(dir)) {
        throw raced;
      }
    }
  }

  /** {@value #ENV_DB}, else {@code ~/.hotmem/memory.sqlite}. */
  static Path defaultDatabase() {
    String env = EmbedderOptions.environment.apply(ENV_DB);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".hotmem", "memory.sqlite");
  }

  /**
   * Closes the session, then the store once it has opened (waiting for an opening in progress),
   * once, from the main thread or the shutdown hook.
   */
  private static final class Closer {
    private final CompletableFuture<OpenStore> opening;
    private final PrintWriter err;
    private McpStdioServer server; // null until the session has started
    private Integer code;

    Closer(CompletableFuture<OpenStore> opening, PrintWriter err) {
      this.opening = opening;
      this.err = err;
    }

    /** The session to close first; false if this closer has closed already (it is then not). */
    synchronized boolean serving(McpStdioServer started) {
      this.server = started;
      return code == null;
    }

    synchronized int close() {
      if (code != null) {
        return code;
      }
      code = CliErrors.OK;
      if (server != null) {
        try {
          server.close();
        } catch (RuntimeException e) {
          err.println("hotmem: error: stopping MCP: " + CliErrors.describe(e));
          code = CliErrors.RUNTIME;
        }
      }
      OpenStore opened;
      try {
        opened = opening.join();
      } catch (CompletionException | CancellationException failed) {
        err.flush();
        return code; // nothing is open; serve reports why
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
