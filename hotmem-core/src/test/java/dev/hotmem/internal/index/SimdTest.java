package dev.hotmem.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.internal.trace.RecordingSlf4jProvider;
import org.junit.jupiter.api.Test;

/**
 * The vector index computes with SIMD exactly when the JDK offers the Vector API (JDK 20+ with the
 * incubator module added, as the launcher and the build's test profile do), and says so once.
 */
class SimdTest {
  @Test
  void simdIsUsedWhenTheVectorApiModuleIsPresentAndTheLogSaysWhich() {
    boolean vectorApi =
        Runtime.version().feature() >= 20
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    assertThat(Simd.simd()).as("provider %s", Simd.provider()).isEqualTo(vectorApi);

    assertThat(Simd.message())
        .startsWith(
            vectorApi
                ? "vector index: SIMD through the Vector API"
                : "vector index: scalar arithmetic");
    new JVectorIndex(4).close();
    new JVectorIndex(4).close();
    // Said once per JVM (an earlier test may have caused it, and the log may have been cleared).
    assertThat(RecordingSlf4jProvider.events())
        .filteredOn(e -> e.logger().equals(Simd.class.getName()))
        .hasSizeLessThanOrEqualTo(1)
        .allSatisfy(e -> assertThat(e.message()).isEqualTo(Simd.message()));
  }
}
