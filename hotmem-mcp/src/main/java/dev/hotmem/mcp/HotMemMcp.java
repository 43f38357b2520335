package dev.hotmem.mcp;

import dev.hotmem.HotMem;
import dev.hotmem.NewMemory;
import dev.hotmem.facts.FactMemory;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * HotMem's MCP face: the memory tools over one store, served over stdio ({@link #serveStdio}) or as
 * a servlet for Streamable HTTP ({@link #httpEndpoint}) that an HTTP server mounts.
 *
 * <p>Tools: {@code remember}, {@code recall}, {@code forget} over {@link HotMem}, and, when the
 * builder is given the fact engine ({@link Builder#facts}), {@code memory_write}, {@code
 * memory_search}, {@code memory_tick}, {@code memory_status}, {@code memory_reflect}, {@code
 * memory_export}, {@code memory_purge} and the prompt {@code memory_status}. Every tool validates
 * its arguments and answers a bad call with a tool error ({@code isError: true}) naming the
 * argument, never a protocol error.
 *
 * <p>The store may still be opening when the session starts ({@link #builder(CompletionStage)}):
 * {@code initialize}, {@code tools/list} and {@code prompts/list} need no store, and a call that
 * does waits for it, so a client's handshake does not wait for a large store to open.
 *
 * <p>Neither this class nor what it starts owns the store: closing a server leaves the {@link
 * HotMem} open for its owner to close.
 */
public final class HotMemMcp {
  /** The name the server reports in {@code initialize}. */
  public static final String SERVER_NAME = "hotmem";

  /** Longest stdio line read (a message); longer ones are answered with a parse error. */
  static final int MAX_STDIO_LINE_BYTES = 16 * 1024 * 1024;

  static final String INSTRUCTIONS =
      "HotMem is a persistent local memory. Call recall (or memory_search) before answering on"
          + " topics with history; store what should outlive this session with remember (free"
          + " text) or memory_write (C/D/V notation).";

  private final Supplier<HotMem> hotMem;
  private final Supplier<FactMemory> facts;
  private final String namespace;
  private final String version;

  private HotMemMcp(Builder b) {
    this.hotMem = b.hotMem;
    this.facts = b.facts;
    this.namespace = b.namespace;
    this.version = b.version;
  }

  /** A builder for the MCP face of {@code hotMem}. */
  public static Builder builder(HotMem hotMem) {
    Objects.requireNonNull(hotMem, "hotMem");
    return new Builder(() -> hotMem);
  }

  /**
   * A builder for the MCP face of a store that is still opening. The session can start before it is
   * open; each call that needs the store waits for it, and if it failed to open, the call is a tool
   * error that says why (the same failure for every call).
   *
   * @param opening completes with the store once it is open
   */
  public static Builder builder(CompletionStage<HotMem> opening) {
    return new Builder(awaiting(opening));
  }

  /**
   * Blocks for the value of {@code opening}; its failure is rethrown as it was (a {@code
   * HotMemException} keeps its code), or wrapped when it is a checked exception.
   */
  static <T> Supplier<T> awaiting(CompletionStage<T> opening) {
    CompletableFuture<T> future = Objects.requireNonNull(opening, "opening").toCompletableFuture();
    return () -> {
      try {
        return future.join();
      } catch (CompletionException | CancellationException e) {
        Throwable cause =
            e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException("the store could not be opened: " + cause, cause);
      }
    };
  }

  /** The tools this face offers, in the order {@code tools/list} gives them. */
  List<McpTool> tools() {
    List<McpTool> tools = new ArrayList<>();
    if (facts != null) {
      tools.addAll(HermesTools.create(facts));
    }
    tools.addAll(MemoryMeshTools.create(hotMem, namespace));
    return tools;
  }

  List<SyncPromptSpecification> prompts() {
    return facts == null ? List.of() : List.of(HermesTools.statusPrompt(facts));
  }

  /**
   * Starts serving MCP over a pair of streams, one JSON-RPC message per line (for {@code hotmem
   * mcp}: standard input and output). Nothing else may write to {@code out}. Returns at once; the
   * session ends when {@code in} reaches its end or the returned server is closed.
   */
  public McpStdioServer serveStdio(InputStream in, OutputStream out) {
    StdioGuard.InFlight inFlight = new StdioGuard.InFlight();
    StdioGuard.LineOutput lines = new StdioGuard.LineOutput(out, inFlight);
    McpStdioServer.EndWatchingInput watched =
        new McpStdioServer.EndWatchingInput(
            new StdioGuard.CheckedInput(in, lines, inFlight, MAX_STDIO_LINE_BYTES));
    StdioServerTransportProvider transport =
        new StdioServerTransportProvider(mapper(), watched, lines);
    McpSyncServer server = configure(McpServer.sync(transport));
    return new McpStdioServer(server, watched);
  }

  /**
   * The Streamable HTTP transport as a servlet, for an HTTP server to mount at {@code path} (for
   * {@code hotmem serve}: {@code /mcp}, through {@code HotMemServer.Builder.servlet}). Requests
   * from a browser page of another origin are refused (DNS-rebinding protection); clients that send
   * no {@code Origin} header, or a loopback one, are served.
   *
   * @param path the path the servlet is mounted at, such as {@code /mcp}
   * @param maxRequestBytes largest request body the transport reads
   */
  public McpHttpEndpoint httpEndpoint(String path, int maxRequestBytes) {
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(mapper())
            .mcpEndpoint(path)
            .maxRequestSize(maxRequestBytes)
            .httpHeaderValidator(
                DefaultServerTransportSecurityValidator.builder()
                    .allowedOrigins(
                        List.of(
                            "http://localhost:*",
                            "http://127.0.0.1:*",
                            "http://[::1]:*",
                            "https://localhost:*",
                            "https://127.0.0.1:*"))
                    .build())
            .build();
    McpSyncServer server = configure(McpServer.sync(transport));
    return new McpHttpEndpoint(server, transport);
  }

  private McpSyncServer configure(McpServer.SyncSpecification<?> spec) {
    List<SyncToolSpecification> tools = tools().stream().map(McpTool::specification).toList();
    List<SyncPromptSpecification> prompts = prompts();
    McpSchema.ServerCapabilities.Builder caps = McpSchema.ServerCapabilities.builder().tools(false);
    if (!prompts.isEmpty()) {
      caps.prompts(false);
    }
    return spec.serverInfo(SERVER_NAME, version)
        .instructions(INSTRUCTIONS)
        .capabilities(caps.build())
        // Each tool checks its own arguments and answers with a message naming the argument.
        .validateToolInputs(false)
        // Run each request on the thread that received it, not on a pool: over stdio, requests
        // are then handled one at a time in the order sent (a write, then the search that must
        // see it), without a thread hop; over HTTP each request already has its own thread.
        .immediateExecution(true)
        .tools(tools)
        .prompts(prompts)
        .build();
  }

  private static JacksonMcpJsonMapper mapper() {
    return new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper());
  }

  /** Configures a {@link HotMemMcp}. Not thread-safe. */
  public static final class Builder {
    private final Supplier<HotMem> hotMem;
    private Supplier<FactMemory> facts;
    private String namespace = NewMemory.DEFAULT_NAMESPACE;
    private String version = "dev";

    private Builder(Supplier<HotMem> hotMem) {
      this.hotMem = hotMem;
    }

    /** The namespace remember, recall and forget work in; {@code default} by default. */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /**
     * The fact engine the {@code memory_*} tools and the {@code memory_status} prompt work on (over
     * the same store); without it only remember, recall and forget are offered.
     */
    public Builder facts(FactMemory facts) {
      Objects.requireNonNull(facts, "facts");
      this.facts = () -> facts;
      return this;
    }

    /**
     * The fact engine, still opening (as {@link HotMemMcp#builder(CompletionStage)}): the {@code
     * memory_*} tools and the prompt are offered at once, and their calls wait for it.
     */
    public Builder facts(CompletionStage<FactMemory> opening) {
      this.facts = awaiting(opening);
      return this;
    }

    /** The version reported in {@code initialize}. */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    public HotMemMcp build() {
      return new HotMemMcp(this);
    }
  }
}
