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

  /** An output that writes whole lines only, so two writers never interleave within a line. */
  static final class LineOutput extends OutputStream {
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      pending.write(b);
      if (b == '\n') {
        pending.writeTo(out);
        pending.reset();
        out.flush();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      int start = off;
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          pending.write(b, start, i + 1 - start);
          pending.writeTo(out);
          pending.reset();
          start = i + 1;
        }
      }
      pending.write(b, start, off + len - start);
      if (start > off) {
        out.flush();
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

  /** An input that passes on only lines that are JSON objects or arrays. */
  static final class CheckedInput extends InputStream {
    private final InputStream in;
    private final LineOutput answers;
    private final int maxLineBytes;
    private byte[] line = new byte[0];
    private int pos;
    private boolean ended;

    CheckedInput(InputStream in, LineOutput answers, int maxLineBytes) {
      this.in = in;
      this.answers = answers;
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
          return false;
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
            return false;
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

    private boolean accept(byte[] bytes) throws IOException {
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (text.isBlank()) {
        return false;
      }
      try {
        JsonNode node = JSON.readTree(text);
        if (node != null && (node.isObject() || node.isArray())) {
          return true;
        }
        refuse("a JSON value that is not a message (expected an object)");
      } catch (JsonProcessingException e) {
        refuse("a line that is not JSON: " + e.getOriginalMessage());
      }
      return false;
    }

    private void refuse(String what) throws IOException {
      LOG.warn("stdio: ignored {}", what);
      String message = "Parse error: " + what;
      answers.writeLine(
          "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":"
              + JSON.writeValueAsString(message)
              + "}}");
    }
  }
}
