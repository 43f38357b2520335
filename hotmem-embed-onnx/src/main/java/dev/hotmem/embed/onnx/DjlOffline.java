package dev.hotmem.embed.onnx;

/**
 * Keeps DJL (whose tokenizer {@link LocalEmbedder} uses) off the network. Without this, creating a
 * tokenizer "calls home": it probes the cloud metadata address 169.254.169.254 and may send a
 * telemetry request; a missing native library would be downloaded. The model jars carry everything,
 * so nothing is ever needed from outside.
 *
 * <p>{@link #apply()} must run before the first DJL class is initialised. It sets the system
 * properties {@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true} unless the user set them
 * (or their environment variables {@code DJL_OFFLINE} / {@code OPT_OUT_TRACKING}) explicitly: an
 * explicit setting, even {@code false}, is the user's choice and is left alone.
 */
final class DjlOffline {
  static final String OFFLINE_PROPERTY = "ai.djl.offline";
  static final String OFFLINE_ENV = "DJL_OFFLINE";
  static final String TRACKING_PROPERTY = "OPT_OUT_TRACKING";

  private DjlOffline() {}

  static synchronized void apply() {
    setUnlessExplicit(OFFLINE_PROPERTY, OFFLINE_ENV);
    setUnlessExplicit(TRACKING_PROPERTY, TRACKING_PROPERTY);
  }

  private static void setUnlessExplicit(String property, String env) {
    if (System.getProperty(property) == null && System.getenv(env) == null) {
      System.setProperty(property, "true");
    }
  }
}
