package dev.hotmem.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

/** Test helpers for the side-file. */
final class AnnFiles {
  static final AnnSideFile.Header HEADER =
      new AnnSideFile.Header("01STORE", "hash-16", 16, 42, 700);

  private AnnFiles() {}

  /** Writes {@code index} to a side-file in {@code dir}, closes it, and loads the file. */
  static JVectorIndex reopen(JVectorIndex index, Path dir) throws IOException {
    Path file = dir.resolve("memory.sqlite.ann");
    AnnSideFile.Header header =
        new AnnSideFile.Header(
            HEADER.storeId(), "hash-" + index.dimension(), index.dimension(), 42, index.maxKey());
    AnnSideFile.write(file, header, index);
    index.close();
    AnnSideFile.Loaded loaded = AnnSideFile.load(file, header);
    assertThat(loaded).isInstanceOf(AnnSideFile.Loaded.Index.class);
    return ((AnnSideFile.Loaded.Index) loaded).index();
  }
}
