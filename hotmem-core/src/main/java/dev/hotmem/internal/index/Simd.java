package dev.hotmem.internal.index;

import io.github.jbellis.jvector.vector.VectorizationProvider;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once, at INFO, which vector arithmetic JVector picked: the Panama Vector API (SIMD, on JDK
 * 20+ with {@code --add-modules jdk.incubator.vector}) or its scalar default. JVector chooses by
 * itself when its classes load; this only reports the choice and how to change it.
 */
final class Simd {
  private static final Logger LOG = LoggerFactory.getLogger(Simd.class);
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  // JVector reports its choice through java.util.logging at INFO, which reaches the console of
  // every CLI command that opens a large store; the line below says the same once through SLF4J.
  // Warnings still pass, and a level set by the user's logging configuration is kept. Held here
  // because java.util.logging keeps loggers only weakly.
  private static java.util.logging.Logger jvectorLog;

  /** Called before JVector's first class loads (EntryTable's static initialiser). */
  static synchronized void quietJVector() {
    if (jvectorLog == null) {
      jvectorLog = java.util.logging.Logger.getLogger("io.github.jbellis.jvector");
      if (jvectorLog.getLevel() == null) {
        jvectorLog.setLevel(java.util.logging.Level.WARNING);
      }
    }
  }

  private Simd() {}

  /** The provider's simple class name, e.g. {@code PanamaVectorizationProvider}. */
  static String provider() {
    return VectorizationProvider.getInstance().getClass().getSimpleName();
  }

  /** Whether JVector runs on the Vector API (any provider but the scalar default). */
  static boolean simd() {
    return !provider().equals("DefaultVectorizationProvider");
  }

  static void logOnce() {
    if (LOGGED.compareAndSet(false, true)) {
      LOG.info(message());
    }
  }

  /** The line {@link #logOnce} logs. */
  static String message() {
    int feature = Runtime.version().feature();
    if (simd()) {
      return "vector index: SIMD through the Vector API (" + provider() + ", JDK " + feature + ")";
    }
    if (feature < 20) {
      return "vector index: scalar arithmetic (JDK "
          + feature
          + "; SIMD needs JDK 20+ with --add-modules jdk.incubator.vector)";
    }
    boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    return "vector index: scalar arithmetic (JDK "
        + feature
        + ", jdk.incubator.vector "
        + (vectorModule ? "loaded but not used" : "not loaded")
        + "; the ./hotmem launcher adds it unless HOTMEM_VECTOR_API=0)";
  }
}
