package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void defaultsAreValidAndDocumented() {
    HotMemConfig c = HotMemConfig.ephemeral().build();
    assertThat(c.embedder().id()).isEqualTo("hash-v1-64");
    assertThat(c.synchronous()).isEqualTo(Synchronous.NORMAL);
    assertThat(c.tracing()).isEqualTo(Tracing.OFF);
    assertThat(c.ranking().fusion()).isEqualTo(HotMemConfig.Builder.DEFAULT_FUSION);
    assertThat(c.ranking().relevanceWeight()).isPositive();
  }

  @Test
  void contradictionsFailFastNamingTheSetting() {
    assertThatThrownBy(() -> HotMemConfig.ephemeral().textWeight(0).vectorWeight(0).build())
        .isInstanceOf(HotMemException.InvalidRequest.class)
        .hasMessageContaining("both be 0");
    assertThatThrownBy(
            () ->
                HotMemConfig.ephemeral()
                    .importanceWeight(0.5)
                    .recencyWeight(0.3)
                    .accessWeight(0.3)
                    .build())
        .hasMessageContaining("below 1");
    assertThatThrownBy(() -> HotMemConfig.ephemeral().rrfK(0).build())
        .hasMessageStartingWith("rrfK");
    assertThatThrownBy(() -> HotMemConfig.ephemeral().candidateDepth(10).build())
        .hasMessageStartingWith("candidateDepth");
    assertThatThrownBy(() -> HotMemConfig.ephemeral().vectorDepth(0).build())
        .hasMessageStartingWith("vectorDepth");
    assertThatThrownBy(() -> HotMemConfig.ephemeral().recencyHalfLife(Duration.ZERO).build())
        .hasMessageStartingWith("recencyHalfLife");
    assertThatThrownBy(() -> HotMemConfig.ephemeral().readerPoolSize(0).build())
        .hasMessageStartingWith("readerPoolSize");
    assertThatThrownBy(() -> HotMemConfig.ephemeral().busyTimeout(Duration.ofMillis(-1)).build())
        .hasMessageStartingWith("busyTimeout");
  }
}
