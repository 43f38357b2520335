package dev.hotmem.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A stdio session in process, over pipes: what a test writes to {@link #toServer} is the server's
 * input, and every line the server answers is queued, parsed, in {@link #answers}.
 */
final class PipedSession implements AutoCloseable {
  final PipedOutputStream toServer = new PipedOutputStream();
  final BlockingQueue<JsonNode> answers = new ArrayBlockingQueue<>(100);
  final McpStdioServer server;

  PipedSession(HotMemMcp mcp) throws IOException {
    PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
    PipedInputStream fromServer = new PipedInputStream(1 << 20);
    PipedOutputStream serverOut = new PipedOutputStream(fromServer);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  answers.add(McpTool.JSON.readTree(line));
                }
              } catch (Exception ignored) {
                // The pipe closes when the test ends.
              }
            });
    reader.setDaemon(true);
    reader.start();
    server = mcp.serveStdio(serverIn, serverOut);
  }

  /** Ends the input, then the session (answered requests first); idempotent. */
  void end() throws IOException {
    toServer.close();
    server.close();
  }

  @Override
  public void close() throws IOException {
    end();
  }
}
