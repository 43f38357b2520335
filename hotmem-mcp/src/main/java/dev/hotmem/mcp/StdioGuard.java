package dev.hotmem.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a stdio session alive through lines that are not JSON-RPC. The SDK's stdio transport
 * (2.1.0) stops reading for good at the first line it cannot parse, leaving the client hanging; so
 * the input is checked here line by line, a line that is not a JSON object or array is answered
 * with a JSON-RPC parse error (-32700, id null) and never reaches the SDK, and blank lines are
 * skipped. The output keeps each line whole so that answer never lands inside a line of the SDK's.
 */
final class StdioGuard {
  private static final Logger LOG = LoggerFactory.getLogger(StdioGuard.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private StdioGuard() {}

  /**
   * Requests read but not yet answered. A client that writes its requests and closes its input (a
   * script piping lines in) must still get every answer: the session may end only once the input
   * has ended and this count is back at zero.
   */
  static final class InFlight {
    private int pending;

    synchronized void requested(int n) {
      pending += n;
    }

    synchronized void answered() {
      if (pending > 0) {
        pending--;
      }
      if (pending == 0) {
        notifyAll();
      }
    }

    /** Waits until every request read has been answered, or {@code millis} pass; true if so. */
    synchronized boolean awaitIdle(long millis) throws InterruptedException {
      long end = System.nanoTime() + millis * 1_000_000L;
      while (pending > 0) {
        long left = (end - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          return false;
        }
        wait(left);
      }
      return true;
    }
  }

  /** 1 for a request (a message with a method and an id), 0 for a notification or an answer. */
  static int requests(JsonNode message) {
    return message.isObject() && message.has("method") && message.hasNonNull("id") ? 1 : 0;
  }

  /** Answers (messages with an id and a result or an error) in one output line. */
  static int answers(byte[] line, int off, int len) {
    try {
      JsonNode message = JSON.readTree(line, off, len);
      if (message == null) {
        return 0;
      }
      if (message.isArray()) {
        int n = 0;
        for (JsonNode m : message) {
          n += isAnswer(m) ? 1 : 0;
        }
        return n;
      }
      return isAnswer(message) ? 1 : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static boolean isAnswer(JsonNode m) {
    return m.isObject() && !m.has("method") && (m.has("result") || m.has("error"));
  }

  /** An output that writes whole lines only, so two writers never interleave within a line. */
  static final class LineOutput extends OutputStream {
    private final OutputStream out;
    private final InFlight inFlight;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineOutput(OutputStream out, InFlight inFlight) {
      this.out = out;
      this.inFlight = inFlight;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      pending.write(b);
      if (b == '\n') {
        writePending();
        out.flush();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      int start = off;
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          pending.write(b, start, i + 1 - start);
          writePending();
          start = i + 1;
        }
      }
      pending.write(b, start, off + len - start);
      if (start > off) {
        out.flush();
      }
    }

    /** Writes the pending whole line and counts the answers it carries (after they are out). */
    private void writePending() throws IOException {
      pending.writeTo(out);
      byte[] line = pending.toByteArray();
      pending.reset();
      for (int n = answers(line, 0, line.length); n > 0; n--) {
        inFlight.answered();
      }
    }

    /** Writes one whole line of our own. */
    synchronized void writeLine(String line) throws IOException {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public synchronized void flush() throws IOException {
      // Partial lines stay pending until their newline; whole ones are flushed as written.
    }

    @Override
    public synchronized void close() throws IOException {
      pending.writeTo(out);
      out.close();
    }
  }

  /** How long the end of input waits for requests still being answered. */
  static final long END_WAIT_MILLIS = 60_000;

  /** An input that passes on only lines that are JSON objects or arrays. */
  static final class CheckedInput extends InputStream {
    private final InputStream in;
    private final LineOutput answers;
    private final InFlight inFlight;
    private final int maxLineBytes;
    private byte[] line = new byte[0];
    private int pos;
    private boolean ended;

    CheckedInput(InputStream in, LineOutput answers, InFlight inFlight, int maxLineBytes) {
      this.in = in;
      this.answers = answers;
      this.inFlight = inFlight;
      this.maxLineBytes = maxLineBytes;
    }

    @Override
    public int read() throws IOException {
      if (!fill()) {
        return -1;
      }
      return line[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, line.length - pos);
      System.arraycopy(line, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    /** Makes the next accepted line (with its newline) current; false at the end of input. */
    private boolean fill() throws IOException {
      while (pos >= line.length) {
        if (ended) {
          return endOfInput();
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean tooLong = false;
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
          if (buf.size() < maxLineBytes) {
            buf.write(c);
          } else {
            tooLong = true;
          }
        }
        if (c == -1) {
          ended = true;
          if (buf.size() == 0) {
            return endOfInput();
          }
        }
        byte[] bytes = buf.toByteArray();
        if (tooLong) {
          refuse("a line of more than " + maxLineBytes + " bytes");
        } else if (accept(bytes)) {
          byte[] withNewline = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, withNewline, 0, bytes.length);
          withNewline[bytes.length] = '\n';
          line = withNewline;
          pos = 0;
        }
      }
      return true;
    }

    /**
     * The input has ended: holds the end back from the SDK until every request read has been
     * answered (or {@link #END_WAIT_MILLIS} pass). The SDK's transport (2.1.0) stops handling
     * requests once its reader sees the end, so a client that writes its requests and closes its
     * input at once (a script piping lines in) lost the last ones.
     */
    private boolean endOfInput() throws IOException {
      try {
        if (!inFlight.awaitIdle(END_WAIT_MILLIS)) {
          LOG.warn(
              "stdio: input ended with requests unanswered after {} s; ending the session",
              END_WAIT_MILLIS / 1000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }

    private boolean accept(byte[] bytes) throws IOException {
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (text.isBlank()) {
        return false;
      }
      try {
        JsonNode node = JSON.readTree(text);
        if (node != null && node.isObject()) {
          inFlight.requested(requests(node));
          return true;
        }
        if (node != null && node.isArray()) {
          // MCP 2025-06-18 has no JSON-RPC batches, and the SDK's transport (2.1.0) stops
          // reading for good at one, which hung the session: answered here instead.
          refuse(-32600, "Invalid Request: batches are not supported", "a batch");
          return false;
        }
        refuse("a JSON value that is not a message (expected an object)");
      } catch (JsonProcessingException e) {
        refuse("a line that is not JSON: " + e.getOriginalMessage());
      }
      return false;
    }

    private void refuse(String what) throws IOException {
      refuse(-32700, "Parse error: " + what, what);
    }

    private void refuse(int code, String message, String what) throws IOException {
      LOG.warn("stdio: ignored {}", what);
      answers.writeLine(
          "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":"
              + code
              + ",\"message\":"
              + JSON.writeValueAsString(message)
              + "}}");
    }
  }
}
