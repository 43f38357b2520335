package dev.hotmem.mcp;

import io.modelcontextprotocol.server.McpSyncServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An MCP session over a pair of streams, started by {@link HotMemMcp#serveStdio}. It ends when the
 * client closes its end of the input (its normal way to stop a stdio server) or on {@link
 * #close()}.
 */
public final class McpStdioServer implements AutoCloseable {
  private final McpSyncServer server;
  private final EndWatchingInput input;
  private boolean closed;

  McpStdioServer(McpSyncServer server, EndWatchingInput input) {
    this.server = server;
    this.input = input;
  }

  /**
   * Blocks until the input reaches its end (the client went away). Requests read before the end
   * have been answered by then: the end reaches the SDK only once they are (see {@link
   * StdioGuard.CheckedInput}), or after a minute.
   */
  public void awaitInputEnd() throws InterruptedException {
    input.ended.await();
  }

  /** Waits up to {@code millis} for the input to end (as {@link #awaitInputEnd()}); true if so. */
  public boolean awaitInputEnd(long millis) throws InterruptedException {
    return input.ended.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Stops the session gracefully (requests in progress are answered). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.closeGracefully();
  }

  /**
   * The input stream the SDK's transport reads, which tells when it ends: the transport itself does
   * not say.
   */
  static final class EndWatchingInput extends FilterInputStream {
    final CountDownLatch ended = new CountDownLatch(1);

    EndWatchingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      return watch(super.read());
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return watch(super.read(b, off, len));
      } catch (IOException e) {
        ended.countDown();
        throw e;
      }
    }

    private int watch(int n) {
      if (n < 0) {
        ended.countDown();
      }
      return n;
    }
  }
}
