package dev.hotmem.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The graph parameters: the defaults' search beam follows the graph's size. */
class JVectorParamsTest {
  @Test
  void smallGraphsSearchWithTheSmallBeamAndLargeOnesWithTheDefault() {
    JVectorIndex.Params d = JVectorIndex.Params.DEFAULT;

    assertThat(d.searchBeamFor(0)).isEqualTo(JVectorIndex.Params.SMALL_GRAPH_BEAM);
    assertThat(d.searchBeamFor(JVectorIndex.Params.SMALL_GRAPH - 1))
        .isEqualTo(JVectorIndex.Params.SMALL_GRAPH_BEAM);
    assertThat(d.searchBeamFor(JVectorIndex.Params.SMALL_GRAPH)).isEqualTo(d.searchBeam());
    assertThat(d.searchBeamFor(1_000_000)).isEqualTo(d.searchBeam()).isGreaterThan(200);
  }

  @Test
  void aBeamBelowTheSmallGraphBeamIsKeptAtEverySize() {
    JVectorIndex.Params narrow = new JVectorIndex.Params(16, 100, 50);

    assertThat(narrow.searchBeamFor(10)).isEqualTo(50);
    assertThat(narrow.searchBeamFor(2_000_000)).isEqualTo(50);
  }

  @Test
  void nonsenseParametersAreRefused() {
    assertThatThrownBy(() -> new JVectorIndex.Params(1, 100, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("degree >= 2");
  }
}
