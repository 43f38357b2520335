package dev.hotmem.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The graph parameters: the defaults' search beam follows the graph's size. */
class JVectorParamsTest {
  @Test
  void theDefaultSearchBeamGrowsWithTheGraphUpToTheConfiguredBeam() {
    JVectorIndex.Params d = JVectorIndex.Params.DEFAULT;

    // The sizes and beams AnnRecall measured (see Params.searchBeamFor).
    assertThat(d.searchBeamFor(100_000)).isEqualTo(120);
    assertThat(d.searchBeamFor(200_000)).isEqualTo(177);
    assertThat(d.searchBeamFor(300_000)).isEqualTo(211);
    assertThat(d.searchBeamFor(500_000)).isEqualTo(253);
    assertThat(d.searchBeamFor(1_000_000)).isEqualTo(d.searchBeam()).isEqualTo(300);
    assertThat(d.searchBeamFor(50_000_000)).isEqualTo(300);
    // Small graphs, and nonsense sizes, get the floor.
    assertThat(d.searchBeamFor(0)).isEqualTo(JVectorIndex.Params.MIN_SEARCH_BEAM);
    assertThat(d.searchBeamFor(-5)).isEqualTo(JVectorIndex.Params.MIN_SEARCH_BEAM);
    assertThat(d.searchBeamFor(50_000)).isEqualTo(JVectorIndex.Params.MIN_SEARCH_BEAM);
    int previous = 0;
    for (int size = 1; size > 0 && size < 2_000_000_000; size = size * 3 / 2 + 1) {
      int beam = d.searchBeamFor(size);
      assertThat(beam).as("size %d", size).isGreaterThanOrEqualTo(previous);
      previous = beam;
    }
    assertThat(d.searchBeamFor(Integer.MAX_VALUE)).isEqualTo(300);
  }

  @Test
  void aConfiguredBeamBelowTheFloorIsKeptAtEverySize() {
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
