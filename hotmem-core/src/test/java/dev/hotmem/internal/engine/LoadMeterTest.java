package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The share of the cores recalls kept busy over the last window. */
class LoadMeterTest {
  /** Records a recall of {@code nanos} every {@code everyMillis} for a window and a half. */
  private static LoadMeter feed(LoadMeter meter, long everyMillis, long nanos)
      throws InterruptedException {
    long start = System.nanoTime();
    while (System.nanoTime() - start < LoadMeter.WINDOW_NANOS * 3 / 2) {
      Thread.sleep(everyMillis);
      meter.record(nanos);
    }
    return meter;
  }

  @Test
  void aQuietEngineReadsZero() {
    assertThat(new LoadMeter(2).utilisation()).isZero();
  }

  @Test
  void busyTimeOverTheWindowAndTheCores() throws Exception {
    // Recalls that together took twice the wall time that passed: both cores busy.
    assertThat(feed(new LoadMeter(2), 5, 10_000_000L).utilisation()).isCloseTo(1.0, within(0.5));
    // 1 ms of recall every 20 ms: about 2.5% of 2 cores.
    assertThat(feed(new LoadMeter(2), 20, 1_000_000L).utilisation()).isBetween(0.0, 0.1);
  }

  @Test
  void aReadingGoesStaleAfterAQuietSpell() throws Exception {
    LoadMeter meter = feed(new LoadMeter(1), 5, 5_000_000L);
    assertThat(meter.utilisation()).isGreaterThan(0.5);
    Thread.sleep(LoadMeter.WINDOW_NANOS * 3 / 1_000_000);
    assertThat(meter.utilisation()).as("nothing recorded for three windows").isZero();
  }
}
