package dev.hotmem.internal.engine;

import dev.hotmem.HotMemException;
import dev.hotmem.MemoryStatus;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.internal.store.MemoryRepository;
import dev.hotmem.internal.store.RowEvents;
import dev.hotmem.internal.store.SqliteStore.Conn;
import dev.hotmem.internal.store.VectorCodec;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the in-memory vector index in step with the SQLite file, which other processes may write
 * too.
 *
 * <p>Implementation notes. Row keys come from {@code AUTOINCREMENT}, so they are never reused and
 * every commit's rows have keys above all earlier commits' rows. The watermark {@code synced} is
 * the key up to which every row is in the index; catching up loads the rows above it. A writer
 * catches up inside its own write transaction (so rows another process committed before it are
 * loaded before its own are added), and recall catches up when {@code max(seq)} is above the
 * watermark: one probe of the primary key, a few microseconds.
 *
 * <p>Changes to rows already indexed come from the store's log of row changes ({@link RowEvents}):
 * catching up also applies the entries above the cursor, removing forgotten and erased rows and
 * setting the others' statuses as the snapshot has them, so that another process's forgets and
 * supersessions stop taking places among the vector candidates. They are hints only: recall
 * re-checks every candidate against SQLite, so a process that fell more than {@link RowEvents#KEPT}
 * entries behind (or a status this process set after the snapshot, applied by the engine after its
 * commit and taken back by an older entry) costs candidates, never a wrong answer; the side-file's
 * reconcile at the next open puts every status right.
 */
final class IndexSync {
  private static final Logger LOG = LoggerFactory.getLogger(IndexSync.class);
  private static final int BATCH = 4096;
  private final VectorIndex index;
  private final String model;
  private final int dimension;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile long synced;

  /** The last entry of the log of row changes applied; -1 until the first catch-up. */
  private volatile long eventCursor = -1;

  IndexSync(VectorIndex index, String model, int dimension) {
    this.index = index;
    this.model = model;
    this.dimension = dimension;
  }

  /**
   * Loads every row above the watermark, if any, then applies the log's new entries. Returns how
   * many vectors were loaded.
   */
  int catchUp(Conn c) throws SQLException {
    return catchUp(c, RowEvents.heads(c));
  }

  /** Like {@link #catchUp(Conn)}, with the reader's heads already known. */
  int catchUp(Conn c, RowEvents.Heads heads) throws SQLException {
    long max = heads.maxSeq();
    if (max <= synced && heads.lastEvent() <= eventCursor) {
      return 0;
    }
    lock.lock();
    try {
      int loaded = max > synced ? load(c, max) : 0;
      applyEvents(c, heads.lastEvent());
      return loaded;
    } finally {
      lock.unlock();
    }
  }

  /** Applies the log's entries up to {@code lastEvent}; caller holds {@link #lock}. */
  private void applyEvents(Conn c, long lastEvent) throws SQLException {
    if (eventCursor < 0) {
      eventCursor = lastEvent; // the index was loaded from the store as it is
      return;
    }
    if (lastEvent <= eventCursor) {
      return;
    }
    if (!RowEvents.complete(c, eventCursor)) {
      LOG.info(
          "vector index: more than {} row changes since the last catch-up; statuses may lag until"
              + " the next open (recall re-checks every candidate)",
          RowEvents.KEPT);
      eventCursor = lastEvent;
      return;
    }
    while (eventCursor < lastEvent) {
      List<RowEvents.Event> events = RowEvents.after(c, eventCursor, BATCH);
      if (events.isEmpty()) {
        break;
      }
      for (RowEvents.Event e : events) {
        if (e.status() == null || e.status() == MemoryStatus.FORGOTTEN) {
          index.remove(e.seq());
        } else {
          index.setStatus(e.seq(), e.status());
        }
      }
      eventCursor = events.get(events.size() - 1).id();
    }
  }

  /** Loads the rows above the watermark up to {@code max}; caller holds {@link #lock}. */
  private int load(Conn c, long max) throws SQLException {
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
          batch.add(new VectorEntry(row.seq(), v, row.namespace(), row.identifier(), row.status()));
          loaded[0]++;
          if (batch.size() == BATCH) {
            index.upsertAll(batch);
            batch.clear();
          }
        });
    index.upsertAll(batch);
    synced = max;
    return loaded[0];
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
