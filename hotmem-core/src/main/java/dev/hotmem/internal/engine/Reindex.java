package dev.hotmem.internal.engine;

import dev.hotmem.HotMemException;
import dev.hotmem.ReindexOptions;
import dev.hotmem.ReindexResult;
import dev.hotmem.Synchronous;
import dev.hotmem.embed.Embedder;
import dev.hotmem.internal.store.SqliteErrors;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.store.SqliteStore.Conn;
import dev.hotmem.internal.store.VectorCodec;
import dev.hotmem.internal.trace.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts a store to another embedder: {@link dev.hotmem.HotMem#reindex}.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>New vectors go to a side table, {@value #TABLE} (seq, content hash, vector), one transaction
 * per batch, while the live rows keep their old vectors, so the store stays usable with its old
 * embedder throughout. The meta entries {@value #TARGET_ID} and {@value #TARGET_DIMENSION} name the
 * embedder the side table is for: a rerun with the same target keeps what an interrupted run
 * computed (rows whose content hash still matches), another target empties it first.
 *
 * <p>The swap is one write transaction: it embeds the rows still missing (added by another process
 * meanwhile; normally none, since the pass before it follows new rows as they come), moves every
 * new vector into place, checks that no row is left with another model, records the new embedder
 * and drops the side table. A crash before the commit leaves the old store (and a side table the
 * next run resumes from); after it, the new one; never a mix.
 *
 * <p>A process that had the store open across the swap still holds the old embedder. The swap
 * therefore installs a trigger that refuses any insert whose vector's model is not the store's
 * recorded embedder: such a process gets {@code incompatible_store} on its next write instead of
 * mixing vectors of two models. Its reads stay correct for its own (old) vectors until it reopens.
 */
public final class Reindex {
  static final String TABLE = "reindex_vectors";
  static final String TARGET_ID = "reindex_target_id";
  static final String TARGET_DIMENSION = "reindex_target_dimension";

  private static final Logger LOG = LoggerFactory.getLogger(Reindex.class);

  /** A row still to embed. */
  private record Pending(long seq, String content, String context, String contentHash) {}

  private final Path file;
  private final Embedder target;
  private final ReindexOptions options;
  private final Tracer tracer = Tracer.off();
  private final String targetId;
  private final String targetDim;

  private Reindex(Path file, Embedder target, ReindexOptions options) {
    this.file = file;
    this.target = target;
    this.options = options;
    this.targetId = target.id();
    this.targetDim = Integer.toString(target.dimension());
  }

  /**
   * Re-embeds every memory of the store at {@code db} with {@code target} and makes it the store's
   * embedder; see {@link dev.hotmem.HotMem#reindex}.
   */
  public static ReindexResult run(Path db, Embedder target, ReindexOptions options) {
    Path file = db.toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new HotMemException.NotFound("no HotMem store at " + file);
    }
    // Looked at read-only first: opening would turn an empty file into a store.
    if (SqliteStore.peek(file, options.busyTimeout(), "reindex", c -> c.hasTable("meta")) == null) {
      throw new HotMemException.NotFound(file + " is an empty file, not a HotMem store");
    }
    try (SqliteStore store = SqliteStore.open(file, Synchronous.NORMAL, options.busyTimeout(), 1)) {
      return new Reindex(file, target, options).run(store);
    }
  }

  private ReindexResult run(SqliteStore store) {
    Map<String, String> meta = store.read("reindex", StoreIdentity::read);
    String sourceId = meta.get(StoreIdentity.EMBEDDER_ID);
    if (sourceId == null) {
      throw new HotMemException.NotFound(
          file + " holds no HotMem store yet (no embedder recorded)");
    }
    if (sourceId.equals(targetId) && targetDim.equals(meta.get(StoreIdentity.EMBEDDER_DIMENSION))) {
      return alreadyThere(store, sourceId);
    }
    long resumed = store.write("reindex: prepare", this::prepare);
    long total = store.read("reindex: count", Reindex::countRows);
    options.progress().update(resumed, total);
    LOG.info(
        "{}: reindexing {} memories from {} to {} ({} kept from an interrupted run)",
        file,
        total,
        sourceId,
        targetId,
        resumed);
    long reembedded = 0;
    long cursor = 0;
    while (true) {
      long from = cursor;
      List<Pending> batch = store.read("reindex: read", c -> pending(c, from, options.batchSize()));
      if (batch.isEmpty()) {
        break;
      }
      float[][] vectors = embed(batch);
      store.write("reindex: write", c -> keep(c, batch, vectors));
      reembedded += batch.size();
      cursor = batch.get(batch.size() - 1).seq();
      total = Math.max(total, resumed + reembedded);
      options.progress().update(resumed + reembedded, total);
    }
    long caughtUp = store.write("reindex: swap", c -> swap(c, sourceId));
    deleteStaleSideFiles();
    long finalTotal = store.read("reindex: count", Reindex::countRows);
    options.progress().update(finalTotal, finalTotal);
    LOG.info("{}: reindexed to {} ({} memories)", file, targetId, finalTotal);
    return new ReindexResult(
        finalTotal, reembedded + caughtUp, resumed, sourceId, targetId, target.spec());
  }

  /** The store has the target already: record its spec if needed and drop any leftovers. */
  private ReindexResult alreadyThere(SqliteStore store, String id) {
    String spec =
        store.write(
            "reindex: nothing to do",
            c -> {
              dropSideTable(c);
              String wanted = target.spec();
              if (wanted != null) {
                StoreIdentity.put(c, StoreIdentity.EMBEDDER_SPEC, wanted);
              }
              return StoreIdentity.recordedSpec(StoreIdentity.read(c));
            });
    long total = store.read("reindex: count", Reindex::countRows);
    options.progress().update(total, total);
    return new ReindexResult(total, 0, 0, id, id, spec);
  }

  /** Creates or keeps the side table; returns how many of its vectors are still good. */
  private long prepare(Conn c) throws SQLException {
    Map<String, String> meta = StoreIdentity.read(c);
    boolean sameTarget =
        c.hasTable(TABLE)
            && targetId.equals(meta.get(TARGET_ID))
            && targetDim.equals(meta.get(TARGET_DIMENSION));
    if (!sameTarget) {
      dropSideTable(c);
      c.exec(
          "CREATE TABLE "
              + TABLE
              + " (seq INTEGER PRIMARY KEY, content_hash TEXT NOT NULL, embedding BLOB NOT NULL)"
              + " STRICT");
      StoreIdentity.put(c, TARGET_ID, targetId);
      StoreIdentity.put(c, TARGET_DIMENSION, targetDim);
      return 0;
    }
    // Drop what no longer matches (rows purged, or content changed since).
    c.exec(
        "DELETE FROM "
            + TABLE
            + " WHERE NOT EXISTS (SELECT 1 FROM memories m WHERE m.seq = "
            + TABLE
            + ".seq AND m.content_hash = "
            + TABLE
            + ".content_hash)");
    return count(c, "SELECT count(*) FROM " + TABLE);
  }

  /** Rows above {@code from} without a good new vector, in seq order. */
  private static List<Pending> pending(Conn c, long from, int limit) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT m.seq, m.content, m.content_hash, m.context FROM memories m"
                + " LEFT JOIN "
                + TABLE
                + " r ON r.seq = m.seq"
                + " WHERE m.seq > ? AND (r.seq IS NULL OR r.content_hash <> m.content_hash)"
                + " ORDER BY m.seq LIMIT ?");
    ps.setLong(1, from);
    ps.setInt(2, limit);
    List<Pending> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Pending(rs.getLong(1), rs.getString(2), rs.getString(4), rs.getString(3)));
      }
    }
    return out;
  }

  private float[][] embed(List<Pending> batch) {
    List<String> contents = new ArrayList<>(batch.size());
    List<String> contexts = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      contents.add(p.content());
      contexts.add(p.context());
    }
    return Embeddings.embedDocuments(target, contents, contexts, options.batchSize(), tracer);
  }

  private static Void keep(Conn c, List<Pending> batch, float[][] vectors) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "INSERT OR REPLACE INTO " + TABLE + " (seq, content_hash, embedding) VALUES (?, ?, ?)");
    for (int i = 0; i < batch.size(); i++) {
      ps.setLong(1, batch.get(i).seq());
      ps.setString(2, batch.get(i).contentHash());
      ps.setBytes(3, VectorCodec.encode(vectors[i]));
      ps.executeUpdate();
    }
    return null;
  }

  /** The one transaction that makes the new vectors and embedder the store's. */
  private long swap(Conn c, String sourceId) throws SQLException {
    Map<String, String> meta = StoreIdentity.read(c);
    if (!sourceId.equals(meta.get(StoreIdentity.EMBEDDER_ID))
        || !targetId.equals(meta.get(TARGET_ID))) {
      throw new HotMemException.Conflict(
          file + " was changed by another reindex meanwhile; run the reindex again");
    }
    List<Pending> missing = new ArrayList<>();
    for (List<Pending> more; !(more = pending(c, lastSeq(missing), 10_000)).isEmpty(); ) {
      missing.addAll(more);
    }
    for (int from = 0; from < missing.size(); from += options.batchSize()) {
      List<Pending> batch =
          missing.subList(from, Math.min(missing.size(), from + options.batchSize()));
      keep(c, batch, embed(batch));
    }
    PreparedStatement move =
        c.prepare(
            "UPDATE memories SET embedding = r.embedding, embedding_model = ? FROM "
                + TABLE
                + " r WHERE r.seq = memories.seq");
    move.setString(1, targetId);
    move.executeUpdate();
    PreparedStatement left =
        c.prepare("SELECT count(*) FROM memories WHERE embedding_model IS NOT ?");
    left.setString(1, targetId);
    long notMoved;
    try (ResultSet rs = left.executeQuery()) {
      notMoved = rs.next() ? rs.getLong(1) : 0;
    }
    if (notMoved != 0) {
      // Rolls the whole swap back: the store keeps its old embedder and vectors.
      throw new IllegalStateException(
          notMoved + " memories of " + file + " have no new vector; nothing was changed");
    }
    StoreIdentity.put(c, StoreIdentity.EMBEDDER_ID, targetId);
    StoreIdentity.put(c, StoreIdentity.EMBEDDER_DIMENSION, targetDim);
    String spec = target.spec();
    if (spec != null) {
      StoreIdentity.put(c, StoreIdentity.EMBEDDER_SPEC, spec);
    } else {
      PreparedStatement del = c.prepare("DELETE FROM meta WHERE key = ?");
      del.setString(1, StoreIdentity.EMBEDDER_SPEC);
      del.executeUpdate();
    }
    dropSideTable(c);
    c.exec(
        "CREATE TRIGGER IF NOT EXISTS memories_embedder_guard BEFORE INSERT ON memories"
            + " WHEN NEW.embedding_model IS NOT"
            + " (SELECT value FROM meta WHERE key = 'embedder_id')"
            + " BEGIN SELECT RAISE(ABORT, '"
            + SqliteErrors.EMBEDDER_GUARD
            + "'); END");
    return missing.size();
  }

  private static long lastSeq(List<Pending> rows) {
    return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).seq();
  }

  private static void dropSideTable(Conn c) throws SQLException {
    c.exec("DROP TABLE IF EXISTS " + TABLE);
    PreparedStatement del = c.prepare("DELETE FROM meta WHERE key IN (?, ?)");
    del.setString(1, TARGET_ID);
    del.setString(2, TARGET_DIMENSION);
    del.executeUpdate();
  }

  private static long countRows(Conn c) throws SQLException {
    return count(c, "SELECT count(*) FROM memories");
  }

  private static long count(Conn c, String sql) throws SQLException {
    try (ResultSet rs = c.prepare(sql).executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Removes files derived from the old vectors: the vector index side-file ({@code <db>.ann}) is
   * rebuilt from the store on the next open. Failing to remove it is logged, not fatal: its header
   * names the embedder's vectors it holds only indirectly, through the store's change counter.
   */
  private void deleteStaleSideFiles() {
    Path ann = file.resolveSibling(file.getFileName() + ".ann");
    try {
      Files.deleteIfExists(ann);
    } catch (IOException e) {
      LOG.warn("{}: could not remove the stale index file {}: {}", file, ann, e.getMessage());
    }
  }
}
