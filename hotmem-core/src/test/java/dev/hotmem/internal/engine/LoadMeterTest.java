package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The share of the cores recalls kept busy over the last window. */
class LoadMeterTest {
  @Test
  void aQuietEngineReadsZero() {
    assertThat(new LoadMeter(2).utilisation()).isZero();
  }

  @Test
  void busyTimeOverTheWindowAndTheCores() throws Exception {
    LoadMeter meter = new LoadMeter(2);
    long start = System.nanoTime();
    // Recalls that together took twice the wall time that passed: both cores busy.
    while (System.nanoTime() - start < LoadMeter.WINDOW_NANOS * 3 / 2) {
      Thread.sleep(5);
      meter.record(10_000_000L);
    }
    assertThat(meter.utilisation()).isCloseTo(1.0, within(0.5));

    LoadMeter light = new LoadMeter(2);
    start = System.nanoTime();
    while (System.nanoTime() - start < LoadMeter.WINDOW_NANOS * 3 / 2) {
      Thread.sleep(20);
      light.record(1_000_000L); // 1 ms of recall every 20 ms: about 2.5% of 2 cores
    }
    assertThat(light.utilisation()).isBetween(0.0, 0.1);
  }

  @Test
  void aReadingGoesStaleAfterAQuietSpell() throws Exception {
    LoadMeter meter = new LoadMeter(1);
    long start = System.nanoTime();
    while (System.nanoTime() - start < LoadMeter.WINDOW_NANOS * 3 / 2) {
      Thread.sleep(5);
      meter.record(5_000_000L);
    }
    assertThat(meter.utilisation()).isGreaterThan(0.5);
    Thread.sleep(LoadMeter.WINDOW_NANOS * 3 / 1_000_000);
    assertThat(meter.utilisation()).as("nothing recorded for three windows").isZero();
  }
}
