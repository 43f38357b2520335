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
    if (!LOGGED.compareAndSet(false, true)) {
      return;
    }
    int feature = Runtime.version().feature();
    boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    if (simd()) {
      LOG.info("vector index: SIMD through the Vector API ({}, JDK {})", provider(), feature);
    } else if (feature < 20) {
      LOG.info(
          "vector index: scalar arithmetic (JDK {}; SIMD needs JDK 20+ with --add-modules"
              + " jdk.incubator.vector)",
          feature);
    } else {
      LOG.info(
          "vector index: scalar arithmetic (JDK {}, jdk.incubator.vector {}; the ./hotmem launcher"
              + " adds it unless HOTMEM_VECTOR_API=0)",
          feature,
          vectorModule ? "loaded but not used" : "not loaded");
    }
  }
}
