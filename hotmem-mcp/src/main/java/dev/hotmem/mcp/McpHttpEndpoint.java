package dev.hotmem.mcp;

import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.Servlet;

/**
 * MCP over Streamable HTTP as a servlet, made by {@link HotMemMcp#httpEndpoint}: an HTTP server
 * mounts {@link #servlet()} and the owner closes this endpoint after the server stopped.
 */
public final class McpHttpEndpoint implements AutoCloseable {
  private final McpSyncServer server;
  private final HttpServletStreamableServerTransportProvider transport;
  private boolean closed;

  McpHttpEndpoint(McpSyncServer server, HttpServletStreamableServerTransportProvider transport) {
    this.server = server;
    this.transport = transport;
  }

  /** The servlet to mount (asynchronous: it streams server-sent events). */
  public Servlet servlet() {
    return transport;
  }

  /**
   * Closes the sessions. Idempotent. The SDK (2.1.0) leaves one non-daemon thread behind (its
   * session sweeper's scheduler), so a program that used an endpoint ends with {@code System.exit}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.closeGracefully();
  }
}
