package dev.hotmem.internal.swap;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines on {@code \n} (a preceding {@code \r} is dropped) without
 * decoding, so a line of bad UTF-8 is one bad line rather than a failed stream, and memory stays
 * bounded: a line longer than {@code maxLineBytes} is consumed to its end but not kept.
 *
 * <p>Not thread-safe.
 */
public final class SwapLineReader {
  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] line = new byte[1 << 12];
  private int length;
  private boolean tooLong;
  private long lineNumber;

  public SwapLineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Advances to the next line.
   *
   * @return false at the end of the stream
   */
  public boolean next() throws IOException {
    length = 0;
    tooLong = false;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        limit = in.read(buffer, 0, buffer.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          if (any) {
            lineNumber++;
          }
          return any;
        }
      }
      any = true;
      int start = pos;
      while (pos < limit && buffer[pos] != '\n') {
        pos++;
      }
      append(start, pos);
      if (pos < limit) {
        pos++; // the '\n'
        lineNumber++;
        if (!tooLong && length > 0 && line[length - 1] == '\r') {
          length--;
        }
        return true;
      }
    }
  }

  private void append(int from, int to) {
    int n = to - from;
    if (tooLong || n == 0) {
      return;
    }
    if (length + n > maxLineBytes) {
      tooLong = true;
      length = 0;
      return;
    }
    if (length + n > line.length) {
      line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, length + n)));
    }
    System.arraycopy(buffer, from, line, length, n);
    length += n;
  }

  /** The current line's bytes, valid until the next {@link #next()}; meaningless when too long. */
  public byte[] bytes() {
    return line;
  }

  public int length() {
    return length;
  }

  /** Whether the current line was longer than the limit (its bytes were dropped). */
  public boolean tooLong() {
    return tooLong;
  }

  /** The 1-based number of the current line. */
  public long lineNumber() {
    return lineNumber;
  }
}
