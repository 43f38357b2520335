package dev.hotmem.internal.index;

import dev.hotmem.internal.swap.AtomicFile;
import dev.hotmem.internal.swap.CountingInputStream;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The ANN index's side-file, {@code <database file name>.ann} next to the database: the entries and
 * the JVector graph, so a large store starts without rebuilding its graph. It is derived data:
 * {@link #load} accepts it only if every check passes, and the engine rebuilds from SQLite
 * otherwise.
 *
 * <p>Layout (big-endian): magic {@code HMEMANN\0} (8 bytes); format version (int); store id,
 * embedder id (each an int length + UTF-8); dimension (int); change counter included (long); max
 * row key included (long); the graph's maximum degree (int; version 2 on); the entry table ({@link
 * EntryTable#writeTo}); the graph as JVector's {@code OnHeapGraphIndex.save} writes it, to 8 bytes
 * before the end; a CRC32C of every byte before it (long). Written to a temporary file, fsynced and
 * renamed ({@link AtomicFile}).
 */
public final class AnnSideFile {
  static final byte[] MAGIC = {'H', 'M', 'E', 'M', 'A', 'N', 'N', 0};

  /**
   * 2 since the graph degree went from 16 to 32 (session 5) and is recorded: a version-1 file holds
   * a degree-16 graph and is rebuilt.
   */
  static final int VERSION = 2;

  private static final int PREFIX = MAGIC.length + Integer.BYTES;

  /**
   * What a side-file claims to hold.
   *
   * @param storeId the store's id (meta {@code store_id})
   * @param embedderId the embedder of the vectors
   * @param dimension the vectors' dimension
   * @param change the store's change counter the index is known to include; lower than the store's
   *     when other processes changed the store since
   * @param maxSeq the largest row key the index includes (every row up to it is in it)
   */
  public record Header(String storeId, String embedderId, int dimension, long change, long maxSeq) {
    public Header {
      Objects.requireNonNull(storeId, "storeId");
      Objects.requireNonNull(embedderId, "embedderId");
    }
  }

  /** The outcome of {@link #load}: an index, or why the file was not used. */
  public sealed interface Loaded {
    /**
     * The file passed every check.
     *
     * @param header what the file claims: if its change is below the store's, the index must be
     *     reconciled with the store ({@link JVectorIndex#reconcile}) and caught up past {@code
     *     header.maxSeq()}
     */
    record Index(JVectorIndex index, Header header) implements Loaded {}

    /**
     * The file was not used.
     *
     * @param reason one line, e.g. {@code another embedder's vectors: expected ...}
     * @param damaged true if the file exists but is damaged, another store's or newer than the
     *     store (worth a warning), false if it is missing, of an older format version or another
     *     graph degree, or another embedder's after a reindex
     */
    record Rejected(String reason, boolean damaged) implements Loaded {}
  }

  private AnnSideFile() {}

  /** The side-file of the database at {@code db}. */
  public static Path pathFor(Path db) {
    return db.resolveSibling(db.getFileName() + ".ann");
  }

  /**
   * Writes {@code index} to {@code file} atomically. The index is write-locked meanwhile (its
   * retired graph nodes are removed first, which JVector requires before a save).
   */
  // OnHeapGraphIndex.save and GraphIndexBuilder.load are deprecated in JVector 4.0.2 in favour of
  // its on-disk graph format, which is built for graphs that are searched from disk and not
  // mutated. The side-file pins the version-4 on-heap format JVector reads today; a JVector
  // upgrade that drops it bumps VERSION, and old files are rebuilt.
  @SuppressWarnings("deprecation")
  public static void write(Path file, Header header, JVectorIndex index) throws IOException {
    index.withQuiescedGraph(
        (table, builder) -> {
          if (table.dimension() != header.dimension()) {
            throw new IllegalArgumentException(
                "dimension: expected " + table.dimension() + ", found " + header.dimension());
          }
          // Not builder.cleanup(): besides removing retired nodes (done by withQuiescedGraph) it
          // prunes every neighbour list from the build's overflow (degree x 1.2) down to the
          // degree, so the reloaded graph found less than the one saved (1M bge vectors, degree
          // 16, beam 200: recall 0.844 before, 0.837 after). Saved as searched, the lists load
          // as they were and inserts after the load keep them within the overflow as before.
          OnHeapGraphIndex graph = (OnHeapGraphIndex) builder.getGraph();
          graph.setAllMutationsCompleted();
          return AtomicFile.write(
              file,
              raw -> {
                CRC32C crc = new CRC32C();
                DataOutputStream out =
                    new DataOutputStream(
                        new BufferedOutputStream(
                            new CheckedOutputStream(nonClosing(raw), crc), 1 << 16));
                out.write(MAGIC);
                out.writeInt(VERSION);
                writeString(out, header.storeId());
                writeString(out, header.embedderId());
                out.writeInt(header.dimension());
                out.writeLong(header.change());
                out.writeLong(header.maxSeq());
                out.writeInt(index.params().maxDegree());
                table.writeTo(out);
                graph.save(out);
                out.flush();
                new DataOutputStream(raw).writeLong(crc.getValue());
                raw.flush();
                return null;
              });
        });
  }

  /**
   * Loads the side-file if it exists, is intact, and is of {@code expected}'s store, embedder and
   * dimension, at its change counter or an earlier one ({@code expected.maxSeq()} is not checked).
   */
  public static Loaded load(Path file, Header expected) {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      return new Loaded.Rejected("missing: no " + file.getFileName(), false);
    } catch (IOException e) {
      return new Loaded.Rejected("unreadable: " + e.getMessage(), true);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (size < PREFIX + Long.BYTES) {
        return new Loaded.Rejected("damaged: " + size + " bytes, too short", true);
      }
      ByteBuffer prefix = ByteBuffer.allocate(PREFIX);
      readFully(channel, prefix, 0);
      byte[] magic = Arrays.copyOf(prefix.array(), MAGIC.length);
      if (!Arrays.equals(magic, MAGIC)) {
        return new Loaded.Rejected(
            "not an HotMem ANN side-file: expected magic " + hex(MAGIC) + ", found " + hex(magic),
            true);
      }
      int version = prefix.getInt(MAGIC.length);
      if (version != VERSION) {
        return new Loaded.Rejected(
            "format version "
                + version
                + (version > VERSION ? " is too new" : " is too old")
                + " (this HotMem reads version "
                + VERSION
                + ")",
            version > VERSION);
      }
      long stored = readLong(channel, size - Long.BYTES);
      long actual = checksum(channel, size - Long.BYTES);
      if (stored != actual) {
        return new Loaded.Rejected(
            "damaged: checksum expected "
                + Long.toHexString(stored)
                + ", found "
                + Long.toHexString(actual),
            true);
      }
      return parse(channel, size, expected);
    } catch (IOException | RuntimeException e) {
      return new Loaded.Rejected("damaged: " + e, true);
    }
  }

  private static Loaded parse(FileChannel channel, long size, Header expected) throws IOException {
    CountingInputStream counting =
        new CountingInputStream(
            new BufferedInputStream(Channels.newInputStream(channel.position(0)), 1 << 16));
    DataInputStream in = new DataInputStream(counting);
    in.skipNBytes(PREFIX);
    Header found =
        new Header(readString(in), readString(in), in.readInt(), in.readLong(), in.readLong());
    String mismatch = mismatch(expected, found);
    if (mismatch != null) {
      // Another embedder's after a reindex: expected.
      return new Loaded.Rejected(mismatch, !mismatch.startsWith("another embedder"));
    }
    int degree = in.readInt();
    int builds = JVectorIndex.Params.DEFAULT.maxDegree();
    if (degree != builds) {
      // Loaded, its nodes would keep their degree while new ones got another: rebuild instead.
      return new Loaded.Rejected(
          "another graph degree: the file's graph has degree "
              + degree
              + ", this HotMem builds degree "
              + builds,
          false);
    }
    EntryTable table = EntryTable.readFrom(in, expected.dimension());
    long graphStart = counting.count();
    long graphLength = size - Long.BYTES - graphStart;
    if (graphLength <= 0 || graphLength > Integer.MAX_VALUE) {
      return new Loaded.Rejected("damaged: graph section of " + graphLength + " bytes", true);
    }
    MappedByteBuffer graphBytes =
        channel.map(FileChannel.MapMode.READ_ONLY, graphStart, graphLength);
    JVectorIndex index = JVectorIndex.load(table, graphBytes);
    Set<Integer> nodes = new HashSet<>(index.graphOrdinals());
    int live = 0;
    for (int ordinal = 0; ordinal < table.upper(); ordinal++) {
      boolean alive = table.isLive(ordinal);
      if (alive) {
        live++;
      }
      if (alive != nodes.contains(ordinal)) {
        index.close();
        return new Loaded.Rejected(
            "damaged: the graph "
                + (alive ? "lacks live entry " : "holds retired entry ")
                + ordinal,
            true);
      }
    }
    if (nodes.size() != live) {
      index.close();
      return new Loaded.Rejected(
          "damaged: the graph has " + nodes.size() + " nodes for " + live + " entries", true);
    }
    return new Loaded.Index(index, found);
  }

  /** Why a header does not describe the expected store state, or null if it does. */
  private static String mismatch(Header expected, Header found) {
    if (!expected.storeId().equals(found.storeId())) {
      return "another store's file: expected store id "
          + expected.storeId()
          + ", found "
          + found.storeId();
    }
    if (!expected.embedderId().equals(found.embedderId())
        || expected.dimension() != found.dimension()) {
      return "another embedder's vectors: expected "
          + expected.embedderId()
          + " ("
          + expected.dimension()
          + "), found "
          + found.embedderId()
          + " ("
          + found.dimension()
          + ")";
    }
    if (found.change() > expected.change()) {
      // A store restored from an older copy: the file may lack rows the store has.
      return "newer than the store: the file includes change "
          + found.change()
          + ", the store is at change "
          + expected.change();
    }
    return null;
  }

  private static long checksum(FileChannel channel, long length) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    long position = 0;
    while (position < length) {
      buffer.clear();
      buffer.limit((int) Math.min(buffer.capacity(), length - position));
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new IOException("unexpected end of file at " + position);
      }
      buffer.flip();
      crc.update(buffer);
      position += n;
    }
    return crc.getValue();
  }

  private static long readLong(FileChannel channel, long position) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(Long.BYTES);
    readFully(channel, b, position);
    return b.getLong(0);
  }

  private static void readFully(FileChannel channel, ByteBuffer b, long position)
      throws IOException {
    while (b.hasRemaining()) {
      int n = channel.read(b, position + b.position());
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 4096) {
      throw new IOException("string length: expected 0..4096, found " + length);
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
