package dev.hotmem.internal.index;

import static dev.hotmem.MemoryStatus.ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a side-file can be unusable is detected, with a reason, and nothing is trusted. */
class AnnSideFileTest {
  private static final int DIMENSION = 8;
  private static final AnnSideFile.Header HEADER =
      new AnnSideFile.Header("01STOREA", "hash-8", DIMENSION, 17, 300);

  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void writeAFile() throws IOException {
    file = dir.resolve("memory.sqlite.ann");
    JVectorIndex index = new JVectorIndex(DIMENSION);
    index.upsertAll(randomEntries(300, 7));
    index.remove(5);
    AnnSideFile.write(file, HEADER, index);
    index.close();
  }

  @Test
  void anIntactFileLoads() {
    AnnSideFile.Loaded loaded = AnnSideFile.load(file, HEADER);

    assertThat(loaded).isInstanceOf(AnnSideFile.Loaded.Index.class);
    JVectorIndex index = ((AnnSideFile.Loaded.Index) loaded).index();
    try {
      assertThat(index.size()).isEqualTo(299);
      assertThat(index.contains(5)).isFalse();
      assertThat(index.search(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, 3, active())).hasSize(3);
    } finally {
      index.close();
    }
    assertThat(AnnSideFile.pathFor(dir.resolve("memory.sqlite"))).isEqualTo(file);
  }

  @Test
  void theGraphLoadsAsItWasSearchedNotPrunedToTheDegree() throws IOException {
    int degree = JVectorIndex.Params.DEFAULT.maxDegree();
    JVectorIndex index = new JVectorIndex(DIMENSION);
    index.upsertAll(randomEntries(3000, 11));
    List<int[]> before = new ArrayList<>();
    boolean overflowing = false;
    for (int ordinal : index.graphOrdinals()) {
      int[] n = index.neighbours(ordinal);
      before.add(n);
      overflowing |= n.length > degree;
    }
    // The build lets lists grow past the degree (JVector's overflow): what a pruning save loses.
    assertThat(overflowing).as("some node has more than %d neighbours", degree).isTrue();
    AnnSideFile.write(file, HEADER, index);
    List<Integer> ordinals = index.graphOrdinals();
    index.close();

    JVectorIndex loaded = ((AnnSideFile.Loaded.Index) AnnSideFile.load(file, HEADER)).index();
    try {
      assertThat(loaded.scoresComputedDuringLoad())
          .as("every edge's score read, not computed")
          .isZero();
      assertThat(loaded.graphOrdinals()).isEqualTo(ordinals);
      for (int i = 0; i < ordinals.size(); i++) {
        assertThat(loaded.neighbours(ordinals.get(i)))
            .as("node %d", ordinals.get(i))
            .isEqualTo(before.get(i));
      }
    } finally {
      loaded.close();
    }
  }

  @Test
  void aMissingFileIsRejectedAsMissing() throws IOException {
    Files.delete(file);

    assertRejected(HEADER, "missing", false);
  }

  @Test
  void anOlderFileIsLoadedWithItsHeaderForReconciliation() {
    // The store moved on (another process wrote): the file is usable, its header says from where.
    AnnSideFile.Loaded loaded =
        AnnSideFile.load(file, new AnnSideFile.Header("01STOREA", "hash-8", DIMENSION, 25, 340));
    assertThat(loaded).isInstanceOf(AnnSideFile.Loaded.Index.class);
    AnnSideFile.Loaded.Index index = (AnnSideFile.Loaded.Index) loaded;
    try {
      assertThat(index.header().change()).isEqualTo(17);
      assertThat(index.header().maxSeq()).isEqualTo(300);
    } finally {
      index.index().close();
    }
  }

  @Test
  void aFileNewerThanTheStoreIsRejected() {
    assertRejected(
        new AnnSideFile.Header("01STOREA", "hash-8", DIMENSION, 16, 300),
        "newer than the store: the file includes change 17, the store is at change 16",
        true);
  }

  @Test
  void anotherStoresFileIsRejected() {
    assertRejected(
        new AnnSideFile.Header("01OTHER", "hash-8", DIMENSION, 17, 300),
        "another store's file: expected store id 01OTHER, found 01STOREA",
        true);
  }

  @Test
  void anotherEmbeddersFileIsRejected() {
    assertRejected(
        new AnnSideFile.Header("01STOREA", "onnx-bge-8", DIMENSION, 17, 300),
        "another embedder's vectors",
        false);
  }

  @Test
  void theStoresMaxKeyIsNotChecked() {
    // The newest row may have been erased since (max(seq) went down) or rows added: reconciliation
    // and the catch-up past the file's max key deal with both.
    for (long storeMax : new long[] {290, 301}) {
      AnnSideFile.Loaded loaded =
          AnnSideFile.load(
              file, new AnnSideFile.Header("01STOREA", "hash-8", DIMENSION, 17, storeMax));
      assertThat(loaded).as("store max %d", storeMax).isInstanceOf(AnnSideFile.Loaded.Index.class);
      ((AnnSideFile.Loaded.Index) loaded).index().close();
    }
  }

  @Test
  void everyFlippedByteIsCaught() throws IOException {
    byte[] original = Files.readAllBytes(file);
    Random random = new Random(11);
    for (int i = 0; i < 40; i++) {
      byte[] damaged = original.clone();
      int at = i == 0 ? damaged.length - 1 : random.nextInt(damaged.length);
      damaged[at] ^= (byte) (1 + random.nextInt(255));
      Files.write(file, damaged);

      AnnSideFile.Loaded loaded = AnnSideFile.load(file, HEADER);

      assertThat(loaded).as("byte %d flipped", at).isInstanceOf(AnnSideFile.Loaded.Rejected.class);
      assertThat(((AnnSideFile.Loaded.Rejected) loaded).damaged()).isTrue();
    }
  }

  @Test
  void aTruncatedFileIsRejected() throws IOException {
    byte[] original = Files.readAllBytes(file);
    for (int length : new int[] {0, 5, 12, original.length / 2, original.length - 1}) {
      Files.write(file, java.util.Arrays.copyOf(original, length));

      AnnSideFile.Loaded loaded = AnnSideFile.load(file, HEADER);

      assertThat(loaded).as("%d bytes", length).isInstanceOf(AnnSideFile.Loaded.Rejected.class);
      assertThat(((AnnSideFile.Loaded.Rejected) loaded).damaged()).isTrue();
    }
  }

  @Test
  void aForeignFileIsRejectedByItsMagic() throws IOException {
    Files.writeString(file, "SQLite format 3\0 and then some more bytes of another file");

    assertRejected(HEADER, "expected magic 484d454d414e4e00", true);
  }

  @Test
  void aNewerFormatVersionIsRejectedAsTooNew() throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(8);
      raf.write(ByteBuffer.allocate(4).putInt(AnnSideFile.VERSION + 1).array());
    }

    assertRejected(
        HEADER,
        "format version "
            + (AnnSideFile.VERSION + 1)
            + " is too new (this HotMem reads version "
            + AnnSideFile.VERSION
            + ")",
        true);
  }

  @Test
  void anOlderFormatVersionIsRejectedAsTooOldNotDamaged() throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(8);
      raf.write(ByteBuffer.allocate(4).putInt(1).array());
    }

    assertRejected(HEADER, "format version 1 is too old", false);
  }

  @Test
  void aGraphOfAnotherDegreeIsRejectedNotDamaged() throws IOException {
    JVectorIndex.Params other = new JVectorIndex.Params(8, 50, 50);
    assertThat(other.maxDegree()).isNotEqualTo(JVectorIndex.Params.DEFAULT.maxDegree());
    JVectorIndex index = new JVectorIndex(DIMENSION, other);
    index.upsertAll(
        List.of(
            new VectorEntry(1, unit(new float[] {1, 2, 3, 4, 5, 6, 7, 8}), "ns", "me", ACTIVE)));
    AnnSideFile.write(file, HEADER, index);
    index.close();

    assertRejected(
        HEADER,
        "the file's graph has degree 8, this HotMem builds degree "
            + JVectorIndex.Params.DEFAULT.maxDegree(),
        false);
  }

  private void assertRejected(AnnSideFile.Header expected, String reason, boolean damaged) {
    AnnSideFile.Loaded loaded = AnnSideFile.load(file, expected);

    assertThat(loaded).isInstanceOf(AnnSideFile.Loaded.Rejected.class);
    AnnSideFile.Loaded.Rejected rejected = (AnnSideFile.Loaded.Rejected) loaded;
    assertThat(rejected.reason()).contains(reason);
    assertThat(rejected.damaged()).isEqualTo(damaged);
  }

  /** Keys 1..count with random unit vectors of {@link #DIMENSION}. */
  private static List<VectorEntry> randomEntries(int count, long seed) {
    Random random = new Random(seed);
    List<VectorEntry> entries = new ArrayList<>();
    for (long key = 1; key <= count; key++) {
      entries.add(new VectorEntry(key, RandomVectors.unit(random, DIMENSION), "ns", "me", ACTIVE));
    }
    return entries;
  }

  private static VectorFilter active() {
    return new VectorFilter("ns", null, Set.of(ACTIVE), null);
  }

  private static float[] unit(float[] v) {
    double norm = 0;
    for (float c : v) {
      norm += c * c;
    }
    for (int d = 0; d < v.length; d++) {
      v[d] = (float) (v[d] / Math.sqrt(norm));
    }
    return v;
  }
}
