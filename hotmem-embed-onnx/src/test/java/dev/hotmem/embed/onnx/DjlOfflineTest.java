package dev.hotmem.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class DjlOfflineTest {

  private static void withProperty(String name, String value, Runnable body) {
    String saved = System.getProperty(name);
    try {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
      body.run();
    } finally {
      if (saved == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, saved);
      }
    }
  }

  @Test
  void turnsOfflineModeAndTrackingOptOutOnWhenUnset() {
    assumeTrue(System.getenv("DJL_OFFLINE") == null);
    assumeTrue(System.getenv("OPT_OUT_TRACKING") == null);
    withProperty(
        DjlOffline.OFFLINE_PROPERTY,
        null,
        () ->
            withProperty(
                DjlOffline.TRACKING_PROPERTY,
                null,
                () -> {
                  DjlOffline.apply();
                  assertThat(System.getProperty(DjlOffline.OFFLINE_PROPERTY)).isEqualTo("true");
                  assertThat(System.getProperty(DjlOffline.TRACKING_PROPERTY)).isEqualTo("true");
                }));
  }

  @Test
  void leavesAnExplicitSettingAlone() {
    withProperty(
        DjlOffline.OFFLINE_PROPERTY,
        "false",
        () ->
            withProperty(
                DjlOffline.TRACKING_PROPERTY,
                "false",
                () -> {
                  DjlOffline.apply();
                  assertThat(System.getProperty(DjlOffline.OFFLINE_PROPERTY)).isEqualTo("false");
                  assertThat(System.getProperty(DjlOffline.TRACKING_PROPERTY)).isEqualTo("false");
                }));
  }
}
