package dev.hotmem.internal.trace;

import dev.hotmem.ErrorCode;
import dev.hotmem.HotMemException;
import dev.hotmem.TraceSpan;
import dev.hotmem.Tracing;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits one structured JSON line per engine operation, for example:
 *
 * <pre>{@code
 * {"ts": "2026-11-24T06:50:01.123Z", "component": "search", "op": "recall", "ms": 1.42, "candidates": 83, "count": 5}
 * }</pre>
 *
 * <p>The spacing is part of the contract: a space follows every colon and every comma between
 * fields, so that {@code grep '"component": "search"'} finds every line of a component. Fields come
 * in this order: {@code ts} (when the operation started, UTC, millisecond precision), {@code
 * component}, {@code op}, {@code ms} (duration, two decimals), the fields {@linkplain Span#put put}
 * on the span in the order first put, and {@code error} (the {@link ErrorCode#code() error code})
 * last, only for failed operations. Lines are pure ASCII: every character outside printable ASCII
 * is written as a JSON <code>&#92;uXXXX</code> escape, so a line survives any stream encoding
 * (standard error in a POSIX locale would turn other characters into {@code ?}) and never contains
 * a line break. A lone surrogate, which no JSON parser need accept, is written as U+FFFD.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * Tracer.Span span = tracer.start("search", "recall");
 * try {
 *   ...
 *   span.put("candidates", candidates.size()).put("count", result.count());
 * } catch (HotMemException e) {
 *   span.error(e);
 *   throw e;
 * } finally {
 *   span.end();
 * }
 * }</pre>
 *
 * <p>With {@link Tracing#OFF} (or an SLF4J logger that has INFO disabled) {@link #start} returns a
 * shared span that does nothing: no clock read, no allocation. Callers that would compute an
 * expensive field value check {@link #enabled()} first.
 *
 * <p>Thread-safe; a {@link Span} belongs to the one thread that runs its operation. Each line is
 * written with a single call, so lines from concurrent operations never interleave.
 */
public final class Tracer {
  /** The SLF4J logger name that {@link Tracing#SLF4J} lines go to, at INFO. */
  public static final String LOGGER_NAME = "dev.hotmem.trace";

  private static final Tracer OFF = new Tracer(null, null, Clock.systemUTC(), System::nanoTime);

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final Consumer<String> sink; // null when off
  private final Logger logger; // non-null only for SLF4J, to honour its INFO level
  private final Clock clock;
  private final LongSupplier nanoTime;

  private Tracer(Consumer<String> sink, Logger logger, Clock clock, LongSupplier nanoTime) {
    this.sink = sink;
    this.logger = logger;
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  /** A tracer that emits nothing. */
  public static Tracer off() {
    return OFF;
  }

  /**
   * A tracer for {@code mode} that writes {@link Tracing#STDERR} lines to {@link System#err} (the
   * stream set when this method runs).
   *
   * @param mode where lines go, not null
   * @param clock source of the {@code ts} field, not null
   */
  public static Tracer create(Tracing mode, Clock clock) {
    return create(mode, clock, System.err);
  }

  /**
   * A tracer for {@code mode} that writes {@link Tracing#STDERR} lines to {@code stderr}.
   *
   * @param mode where lines go, not null
   * @param clock source of the {@code ts} field, not null
   * @param stderr the stream for {@link Tracing#STDERR}, not null (unused in the other modes)
   */
  public static Tracer create(Tracing mode, Clock clock, PrintStream stderr) {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(stderr, "stderr");
    return switch (mode) {
      case OFF -> OFF;
      case STDERR -> new Tracer(line -> writeLine(stderr, line), null, clock, System::nanoTime);
      case SLF4J -> {
        Logger logger = LoggerFactory.getLogger(LOGGER_NAME);
        yield new Tracer(logger::info, logger, clock, System::nanoTime);
      }
    };
  }

  /** A tracer that hands each line (without line terminator) to {@code sink}; for tests. */
  static Tracer toSink(Consumer<String> sink, Clock clock, LongSupplier nanoTime) {
    return new Tracer(
        Objects.requireNonNull(sink, "sink"),
        null,
        Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(nanoTime, "nanoTime"));
  }

  private static void writeLine(PrintStream out, String line) {
    // One print call: PrintStream holds its lock for the whole string, so the line and its
    // terminator can never be split by another writer of the same stream.
    out.print(line + "\n");
    out.flush();
  }

  /** Whether spans of this tracer emit lines. */
  public boolean enabled() {
    return sink != null && (logger == null || logger.isInfoEnabled());
  }

  /**
   * Starts timing one operation. The line is emitted by {@link Span#end()}.
   *
   * @param component the engine part, for example {@code search} or {@code store}; not null
   * @param op the operation, for example {@code recall}; not null
   * @return the span to add fields to and end; the shared no-op span when not {@link #enabled()}
   */
  public Span start(String component, String op) {
    if (!enabled()) {
      return Span.NOOP;
    }
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(op, "op");
    return new Span(this, component, op, clock.instant(), nanoTime.getAsLong());
  }

  /**
   * One operation being traced. Not thread-safe. The line is written by the first {@link #end()}
   * (or {@link #close()}); later calls to any method change nothing.
   */
  public static final class Span implements TraceSpan, AutoCloseable {
    static final Span NOOP = new Span(null, null, null, null, 0L);

    private final Tracer tracer; // null for NOOP
    private final String component;
    private final String op;
    private final Instant startedAt;
    private final long startNanos;
    private final Map<String, String> fields = new LinkedHashMap<>(); // key -> rendered JSON
    private String errorCode;
    private boolean ended;

    private Span(Tracer tracer, String component, String op, Instant startedAt, long startNanos) {
      this.tracer = tracer;
      this.component = component;
      this.op = op;
      this.startedAt = startedAt;
      this.startNanos = startNanos;
    }

    /**
     * Adds a number field. Putting a key again replaces its value and keeps its position.
     *
     * @param key the field name, not null, not one of {@code ts component op ms error}
     * @throws IllegalArgumentException if {@code key} is reserved (also on a no-op span, so that a
     *     wrong key fails in tests instead of the first traced production run)
     */
    @Override
    public Span put(String key, long value) {
      if (accepts(key)) {
        fields.put(key, Long.toString(value));
      }
      return this;
    }

    /**
     * Adds a number field; NaN and infinities, which JSON cannot express, are written as {@code
     * null}. See {@link #put(String, long)}.
     */
    @Override
    public Span put(String key, double value) {
      if (accepts(key)) {
        fields.put(key, Double.isFinite(value) ? Double.toString(value) : "null");
      }
      return this;
    }

    /** Adds a boolean field. See {@link #put(String, long)}. */
    @Override
    public Span put(String key, boolean value) {
      if (accepts(key)) {
        fields.put(key, value ? "true" : "false");
      }
      return this;
    }

    /**
     * Adds a string field, escaped for JSON; {@code null} is written as JSON {@code null}. See
     * {@link #put(String, long)}.
     */
    @Override
    public Span put(String key, String value) {
      if (accepts(key)) {
        fields.put(
            key, value == null ? "null" : appendJsonString(new StringBuilder(), value).toString());
      }
      return this;
    }

    /** Marks the operation failed with {@code code}. */
    @Override
    public Span error(ErrorCode code) {
      Objects.requireNonNull(code, "code");
      if (tracer != null && !ended) {
        errorCode = code.code();
      }
      return this;
    }

    /**
     * Marks the operation failed by {@code failure}: its {@link HotMemException#errorCode() error
     * code}, or its class name for any other throwable (a bug, which has no stable code).
     */
    public Span error(Throwable failure) {
      Objects.requireNonNull(failure, "failure");
      if (tracer != null && !ended) {
        errorCode =
            failure instanceof HotMemException hotMem
                ? hotMem.errorCode().code()
                : failure.getClass().getName();
      }
      return this;
    }

    /** Writes the line, once. */
    @Override
    public void end() {
      if (tracer == null || ended) {
        return;
      }
      ended = true;
      long elapsedNanos = Math.max(0L, tracer.nanoTime.getAsLong() - startNanos);
      tracer.sink.accept(render(elapsedNanos));
    }

    /** Same as {@link #end()}, for try-with-resources. */
    @Override
    public void close() {
      end();
    }

    /**
     * Checks the key, then whether a value should be rendered at all. The check comes first so that
     * a no-op span renders (and allocates) nothing.
     */
    private boolean accepts(String key) {
      checkKey(key);
      return tracer != null && !ended;
    }

    private static void checkKey(String key) {
      switch (Objects.requireNonNull(key, "key")) {
        case "ts", "component", "op", "ms", "error" ->
            throw new IllegalArgumentException(
                "trace field \"" + key + "\" is reserved; pick another name");
        default -> {}
      }
    }

    private String render(long elapsedNanos) {
      StringBuilder line = new StringBuilder(96 + 24 * fields.size());
      line.append("{\"ts\": \"");
      TIMESTAMP.formatTo(startedAt, line);
      line.append("\", \"component\": ");
      appendJsonString(line, component);
      line.append(", \"op\": ");
      appendJsonString(line, op);
      line.append(", \"ms\": ");
      appendMillis(line, elapsedNanos);
      for (Map.Entry<String, String> field : fields.entrySet()) {
        line.append(", ");
        appendJsonString(line, field.getKey());
        line.append(": ").append(field.getValue());
      }
      if (errorCode != null) {
        line.append(", \"error\": ");
        appendJsonString(line, errorCode);
      }
      return line.append('}').toString();
    }
  }

  /** Milliseconds with exactly two decimals, rounded half up; independent of the default locale. */
  static void appendMillis(StringBuilder out, long nanos) {
    long hundredths = (nanos + 5_000L) / 10_000L;
    long fraction = hundredths % 100;
    out.append(hundredths / 100).append('.');
    if (fraction < 10) {
      out.append('0');
    }
    out.append(fraction);
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * Appends {@code value} as a quoted JSON string of printable ASCII: {@code "} and {@code \} are
   * backslash-escaped, {@code \n \r \t \b \f} use their short escapes, and every other character
   * below U+0020 or from U+007F up is written as <code>&#92;uXXXX</code> (a surrogate pair as two
   * escapes, which JSON readers join again). A lone surrogate is written as U+FFFD, the replacement
   * character: its escape alone is not valid Unicode and strict parsers (Jackson 2.23 among them)
   * reject the whole line.
   */
  static StringBuilder appendJsonString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            out.append(c);
          } else if (!Character.isSurrogate(c)) {
            appendUnicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            appendUnicodeEscape(out, c);
            appendUnicodeEscape(out, value.charAt(++i));
          } else {
            appendUnicodeEscape(out, '\uFFFD');
          }
        }
      }
    }
    return out.append('"');
  }

  private static void appendUnicodeEscape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xf])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }
}
