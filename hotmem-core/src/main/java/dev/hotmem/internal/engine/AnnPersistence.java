package dev.hotmem.internal.engine;

import dev.hotmem.embed.Embedder;
import dev.hotmem.internal.index.AnnSideFile;
import dev.hotmem.internal.index.JVectorIndex;
import dev.hotmem.internal.index.TieredVectorIndex;
import dev.hotmem.internal.store.MemoryRepository;
import dev.hotmem.internal.store.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the engine's vector index from its side-file at open and saves it there at close, and knows
 * which change of the store the index includes.
 *
 * <p>Implementation notes. The store's change counter (schema version 2) moves with every change an
 * index reflects. At open, the index includes change {@code known}: the counter read before the
 * side-file was loaded (and reconciled, below) or the index rebuilt from SQLite. Each write
 * transaction of this process reports the counter before and after it; if "before" is {@code
 * known}, nothing else changed the store in between and the engine applies the change to the index
 * itself, so {@code known} moves to "after". If it is not, another process changed the store: its
 * inserts reach the index (IndexSync), but its forgets and status changes do not, so {@code known}
 * stops. The file written at close records {@code known} and the largest row key the index holds. A
 * file whose counter is below the store's is stale but usable: loading it takes one pass over the
 * store's (key, status) pairs up to its largest key, which removes the rows erased since and
 * corrects changed statuses ({@link JVectorIndex#reconcile}), then the engine catches up the rows
 * added past that key. At 1,000,000 memories that is seconds, against about 20 minutes for a
 * rebuild. A file newer than the store (a store restored from an older copy) is rebuilt.
 */
final class AnnPersistence implements SqliteStore.ChangeWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(AnnPersistence.class);

  private final SqliteStore store;
  private final Path file;
  private final String storeId;
  private final String embedderId;
  private final int dimension;
  private final boolean persistent;
  private long known;
  private long loadedMaxSeq;
  private String rebuildReason;

  AnnPersistence(SqliteStore store, String storeId, Embedder embedder, boolean persistent) {
    this.store = store;
    this.file = AnnSideFile.pathFor(store.path());
    this.storeId = storeId;
    this.embedderId = embedder.id();
    this.dimension = embedder.dimension();
    this.persistent = persistent;
  }

  /**
   * The index to start from: loaded from the side-file if it is usable (reconciled if other
   * processes changed the store since), else empty (the caller fills it from SQLite). Starts
   * watching the store's changes.
   */
  TieredVectorIndex open(int threshold) {
    long change = store.read("read change counter", MemoryRepository::changeCounter);
    known = change;
    store.watchChanges(this);
    if (!persistent) {
      return new TieredVectorIndex(dimension, threshold);
    }
    long start = System.nanoTime();
    // The store's largest key is not compared: rows past the file's are caught up after the load.
    AnnSideFile.Loaded loaded =
        AnnSideFile.load(file, new AnnSideFile.Header(storeId, embedderId, dimension, change, 0));
    if (loaded instanceof AnnSideFile.Loaded.Index index) {
      AnnSideFile.Header found = index.header();
      loadedMaxSeq = found.maxSeq();
      if (found.change() == change) {
        LOG.info(
            "vector index: loaded {} entries from {} in {} ms",
            index.index().size(),
            file.getFileName(),
            (System.nanoTime() - start) / 1_000_000);
      } else {
        int entries = index.index().size();
        MemoryRepository.IndexedRows rows =
            store.read(
                "reconcile vector index", c -> MemoryRepository.indexedRowsUpTo(c, found.maxSeq()));
        JVectorIndex.Reconciled r = index.index().reconcile(rows.keys(), rows.statuses());
        if (r.missing() > 0) {
          // Rows the file's index never had (made active again by hand, say): no vectors to add.
          index.index().close();
          loadedMaxSeq = 0;
          return rebuild(
              new AnnSideFile.Loaded.Rejected(
                  "the file lacks " + r.missing() + " rows the store has below its last key", true),
              threshold);
        }
        LOG.info(
            "vector index: loaded {} entries from {} in {} ms, reconciled with the store (the file"
                + " includes change {}, the store is at change {}): {} removed, {} statuses"
                + " changed",
            entries,
            file.getFileName(),
            (System.nanoTime() - start) / 1_000_000,
            found.change(),
            change,
            r.removed(),
            r.statusesChanged());
      }
      return new TieredVectorIndex(index.index(), threshold);
    }
    return rebuild((AnnSideFile.Loaded.Rejected) loaded, threshold);
  }

  private TieredVectorIndex rebuild(AnnSideFile.Loaded.Rejected rejected, int threshold) {
    rebuildReason = rejected.reason();
    if (rejected.damaged()) {
      LOG.warn("vector index: {} not used, rebuilding from the store: {}", file, rebuildReason);
    }
    return new TieredVectorIndex(dimension, threshold);
  }

  /** The largest row key the loaded side-file includes, or 0 if the index starts empty. */
  long loadedMaxSeq() {
    return loadedMaxSeq;
  }

  /** Logs how the index was rebuilt from SQLite, if it was and it is large enough to matter. */
  void rebuilt(TieredVectorIndex index, int vectors, long millis) {
    if (rebuildReason == null) {
      return;
    }
    if (index.graph() != null) {
      LOG.info(
          "vector index: rebuilt {} vectors from the store in {} ms ({})",
          vectors,
          millis,
          rebuildReason);
    } else if (index.building()) {
      LOG.info(
          "vector index: loaded {} vectors from the store in {} ms, building the graph in the"
              + " background ({})",
          vectors,
          millis,
          rebuildReason);
    }
  }

  @Override
  public synchronized void committed(long before, long after) {
    if (before == known) {
      known = after;
    }
  }

  /**
   * Writes the side-file if the index has a graph, else removes an old file (it could only be
   * stale). Called with no write of the engine in flight.
   *
   * @param indexedUpTo every row up to this key is in the index (IndexSync's watermark)
   */
  void save(TieredVectorIndex index, long indexedUpTo) {
    if (!persistent) {
      return;
    }
    JVectorIndex graph = index.graph();
    try {
      if (graph == null) {
        if (index.building()) {
          LOG.info(
              "vector index: {} not saved, the graph is still being built; the next open builds"
                  + " it again",
              file.getFileName());
        }
        Files.deleteIfExists(file);
        return;
      }
      long now = store.read("read change counter", MemoryRepository::changeCounter);
      long includes;
      synchronized (this) {
        includes = known;
      }
      long start = System.nanoTime();
      AnnSideFile.write(
          file,
          new AnnSideFile.Header(storeId, embedderId, dimension, includes, indexedUpTo),
          graph);
      LOG.info(
          "vector index: saved {} entries to {} in {} ms{}",
          graph.size(),
          file.getFileName(),
          (System.nanoTime() - start) / 1_000_000,
          now == includes
              ? ""
              : " (another process changed the store since change "
                  + includes
                  + "; the next open reconciles it)");
    } catch (IOException | RuntimeException e) {
      LOG.warn("vector index: side-file {} not saved ({}); the next open rebuilds it", file, e);
    }
  }
}
