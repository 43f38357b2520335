package dev.hotmem.internal.index;

import dev.hotmem.index.VectorIndex;
import dev.hotmem.index.VectorIndexContractTest;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link JVectorIndex} as the engine configures it: the contract's indexes are small, so every
 * filtered search takes the exact path over the filter's group, which must be exact.
 */
class JVectorIndexDefaultsTest extends VectorIndexContractTest {
  @Override
  protected VectorIndex newIndex(int dimension) {
    return new JVectorIndex(dimension);
  }

  @Override
  protected VectorIndex reopen(VectorIndex index, Path dir) throws IOException {
    return AnnFiles.reopen((JVectorIndex) index, dir);
  }
}
