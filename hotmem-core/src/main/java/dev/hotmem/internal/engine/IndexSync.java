package dev.hotmem.internal.engine;

import dev.hotmem.HotMemException;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.internal.store.MemoryRepository;
import dev.hotmem.internal.store.SqliteStore.Conn;
import dev.hotmem.internal.store.VectorCodec;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the in-memory vector index in step with the SQLite file, which other processes may write
 * too.
 *
 * <p>Implementation notes. Row keys come from {@code AUTOINCREMENT}, so they are never reused and
 * every commit's rows have keys above all earlier commits' rows. The watermark {@code synced} is
 * the key up to which every row is in the index; catching up loads the rows above it. A writer
 * catches up inside its own write transaction (so rows another process committed before it are
 * loaded before its own are added), and recall catches up when {@code max(seq)} is above the
 * watermark: one probe of the primary key, a few microseconds. What other processes change in rows
 * already indexed (forget, purge, status) needs no sync: recall re-checks every candidate against
 * SQLite.
 */
final class IndexSync {
  private static final int BATCH = 4096;
  private final VectorIndex index;
  private final String model;
  private final int dimension;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile long synced;

  IndexSync(VectorIndex index, String model, int dimension) {
    this.index = index;
    this.model = model;
    this.dimension = dimension;
  }

  /** Loads every row above the watermark, if any. Returns how many vectors were loaded. */
  int catchUp(Conn c) throws SQLException {
    return catchUp(c, MemoryRepository.maxSeq(c));
  }

  /** Like {@link #catchUp(Conn)}, with the reader's {@code max(seq)} already known. */
  int catchUp(Conn c, long max) throws SQLException {
    if (max <= synced) {
      return 0;
    }
    lock.lock();
    try {
      if (max <= synced) {
        return 0;
      }
      int[] loaded = {0};
      // In batches, so that a graph index inserts them on every core.
      List<VectorEntry> batch = new ArrayList<>(BATCH);
      MemoryRepository.forEachVector(
          c,
          synced,
          max,
          model,
          row -> {
            float[] v;
            try {
              v = VectorCodec.decode(row.vector(), dimension);
            } catch (IllegalArgumentException e) {
              throw new HotMemException.CorruptStore(
                  "the vector of row " + row.seq() + " is damaged: " + e.getMessage(), e);
            }
            batch.add(
                new VectorEntry(row.seq(), v, row.namespace(), row.identifier(), row.status()));
            loaded[0]++;
            if (batch.size() == BATCH) {
              index.upsertAll(batch);
              batch.clear();
            }
          });
      index.upsertAll(batch);
      synced = max;
      return loaded[0];
    } finally {
      lock.unlock();
    }
  }

  /** The key up to which every row is in the index. */
  long synced() {
    return synced;
  }

  /**
   * Records that every row up to {@code seq} is indexed (called after a writer indexed its rows).
   */
  void advanceTo(long seq) {
    lock.lock();
    try {
      if (seq > synced) {
        synced = seq;
      }
    } finally {
      lock.unlock();
    }
  }
}
