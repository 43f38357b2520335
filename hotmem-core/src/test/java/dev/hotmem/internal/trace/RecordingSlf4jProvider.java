package dev.hotmem.internal.trace;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J binding for tests that records every event in memory, registered through {@code
 * META-INF/services/org.slf4j.spi.SLF4JServiceProvider} in the test resources. INFO can be switched
 * off to check that callers honour the level.
 */
public final class RecordingSlf4jProvider implements SLF4JServiceProvider {
  /** One logged event, with its message formatted. */
  public record Event(String logger, Level level, String message) {}

  private static final List<Event> EVENTS = new CopyOnWriteArrayList<>();
  private static volatile boolean infoEnabled = true;

  private final ConcurrentHashMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final ILoggerFactory loggerFactory =
      name -> loggers.computeIfAbsent(name, RecordingLogger::new);
  private final IMarkerFactory markerFactory = new BasicMarkerFactory();
  private final MDCAdapter mdcAdapter = new NOPMDCAdapter();

  /** The events recorded so far, oldest first. */
  public static List<Event> events() {
    return List.copyOf(EVENTS);
  }

  public static void clear() {
    EVENTS.clear();
  }

  public static void setInfoEnabled(boolean enabled) {
    infoEnabled = enabled;
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdcAdapter;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class RecordingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    RecordingLogger(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return infoEnabled;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      String message =
          arguments == null ? pattern : MessageFormatter.basicArrayFormat(pattern, arguments);
      EVENTS.add(new Event(name, level, message));
    }
  }
}
