package dev.hotmem.internal.engine;

import dev.hotmem.internal.search.KeywordIndex;
import dev.hotmem.internal.search.KeywordTerms;
import dev.hotmem.internal.store.MemoryRepository;
import dev.hotmem.internal.store.RecallQueries;
import dev.hotmem.internal.store.RowEvents;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.store.SqliteStore.Conn;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the in-memory {@link KeywordIndex} in step with the SQLite file, and says when recall may
 * use it instead of FTS5.
 *
 * <p>Implementation notes. Rows reach the index only from SQLite, in key order: a background thread
 * loads the store when it opens (100,000 memories in about a second, 1,000,000 in about 17 s,
 * tokenizing on every core), and recall loads the few rows written since the last recall, this
 * process's own included, inside its read transaction. Until the index holds every row up to the
 * transaction's {@code max(seq)}, recall uses FTS5, so an answer never misses a row because the
 * index was behind. Row keys come from {@code AUTOINCREMENT}, so a later commit's rows are always
 * above the watermark (as in {@link IndexSync}).
 *
 * <p>Changes to rows already indexed (status, importance, erasure), this process's as much as any
 * other's, come from the store's log of row changes ({@link RowEvents}, written by triggers):
 * recall applies the entries above its cursor inside its read transaction, taking each row as its
 * snapshot has it, so the index agrees with the snapshot (applying an entry twice changes nothing).
 * One way for every writer: the engine does not tell the index what it changed. A process that fell
 * more than {@link RowEvents#KEPT} entries behind cannot know what it missed: it starts a new
 * index, loaded in the background, and recall uses FTS5 until it is ready.
 */
final class KeywordSync {
  private static final Logger LOG = LoggerFactory.getLogger(KeywordSync.class);

  /** Above this gap between the index and the store, recall does not wait for the index. */
  static final int INLINE_ROWS = 1_000;

  private static final int BATCH = 4_096;

  /** Replaced (never changed back) when this process has missed entries of the change log. */
  private volatile KeywordIndex index = new KeywordIndex();

  /**
   * The last entry of the change log the index reflects; -1 until the first rows are loaded. Read
   * without the lock by recall's quick check, written under {@link #loading}.
   */
  private volatile long eventCursor = -1;

  private final SqliteStore store;
  private final String name;

  /** One loader at a time: the background thread, or a recall catching up inline. */
  private final ReentrantLock loading = new ReentrantLock();

  /** After a failed load, recalls do not start another for this long (they use FTS5). */
  static final long RETRY_MILLIS = 10_000;

  private Thread background;
  private final Clock clock;
  private long failedAt; // clock millis of the last failed load; guarded by this
  private boolean failed; // guarded by this
  private volatile boolean closed;

  KeywordSync(SqliteStore store, String name, Clock clock) {
    this.store = store;
    this.name = name;
    this.clock = clock;
  }

  /** For tests: the next {@code batches} batches the background loader reads fail. */
  void failBackgroundBatches(int batches) {
    failBackgroundBatches = batches;
  }

  private volatile int failBackgroundBatches;

  /** The index as it is, current or not: for tests. */
  KeywordIndex index() {
    return index;
  }

  /**
   * The index, if it agrees with the reader's snapshot ({@code heads}): it holds every row up to
   * the snapshot's {@code max(seq)} and every change in its log, after loading them on {@code c}
   * when at most {@link #INLINE_ROWS} keys are missing. A larger gap starts the background loader
   * and answers null, as does a change log that no longer holds every entry the index needs.
   */
  KeywordIndex current(Conn c, RowEvents.Heads heads) throws SQLException {
    long maxSeq = heads.maxSeq();
    KeywordIndex idx = index;
    long loaded = idx.loadedUpTo();
    if (loaded >= maxSeq && eventCursor >= 0 && heads.lastEvent() <= eventCursor) {
      return idx; // the usual case: nothing new, no lock
    }
    if (maxSeq - loaded > INLINE_ROWS || isLoadingInBackground()) {
      startBackground();
      return null;
    }
    loading.lock();
    try {
      if (index != idx) {
        return null; // replaced meanwhile: the new one is loading
      }
      while (idx.loadedUpTo() < maxSeq) {
        loadBatch(c, maxSeq, false);
      }
      return applyEvents(c) ? idx : null;
    } finally {
      loading.unlock();
    }
  }

  /**
   * Applies the change log's entries above the cursor to the index; caller holds {@link #loading}
   * and has loaded every row of the snapshot. False when entries were dropped before this process
   * read them: the index is then replaced by a new one, loaded in the background.
   */
  private boolean applyEvents(Conn c) throws SQLException {
    if (eventCursor < 0) {
      eventCursor = RowEvents.last(c); // nothing was loaded before: the snapshot is the start
      return true;
    }
    if (!RowEvents.complete(c, eventCursor)) {
      LOG.info(
          "keyword index: more than {} row changes since the last recall; loading it again",
          RowEvents.KEPT);
      eventCursor = -1; // first: a recall that sees the new index must not see the old cursor
      index = new KeywordIndex();
      startBackground();
      return false;
    }
    KeywordIndex idx = index;
    while (true) {
      List<RowEvents.Event> events = RowEvents.after(c, eventCursor, BATCH);
      List<Long> erased = new ArrayList<>();
      for (RowEvents.Event e : events) {
        if (e.status() == null) {
          erased.add(e.seq());
        } else {
          idx.setStatus(e.seq(), e.status());
          idx.setImportance(e.seq(), e.importance());
        }
      }
      idx.erase(erased);
      if (!events.isEmpty()) {
        eventCursor = events.get(events.size() - 1).id();
      }
      if (events.size() < BATCH) {
        return true;
      }
    }
  }

  /**
   * Loads the next rows up to {@code upTo}, tokenizing them on every core when {@code parallel};
   * caller holds {@link #loading}.
   */
  private void loadBatch(Conn c, long upTo, boolean parallel) throws SQLException {
    KeywordIndex index = this.index;
    if (eventCursor < 0) {
      // The rows loaded from this snapshot on reflect every change logged so far.
      eventCursor = RowEvents.last(c);
    }
    long after = index.loadedUpTo();
    List<KeywordIndex.Doc> rows = RecallQueries.searchTexts(c, after, upTo, BATCH);
    List<KeywordTerms.Prepared> prepared;
    if (parallel) {
      prepared = rows.parallelStream().map(KeywordTerms::prepare).toList();
    } else {
      prepared = new ArrayList<>(rows.size());
      for (KeywordIndex.Doc row : rows) {
        prepared.add(KeywordTerms.prepare(row));
      }
    }
    long reached = rows.size() < BATCH ? upTo : rows.get(rows.size() - 1).seq();
    index.addAll(prepared, reached);
  }

  /** Starts loading the store in the background, unless that is already running. */
  synchronized void startBackground() {
    if (closed || isLoadingInBackground() || (failed && clock.millis() - failedAt < RETRY_MILLIS)) {
      return;
    }
    background = new Thread(this::loadAll, "hotmem-keyword-index " + name);
    background.setDaemon(true);
    background.start();
  }

  synchronized boolean isLoadingInBackground() {
    return background != null && background.isAlive();
  }

  private void loadAll() {
    try {
      boolean more = true;
      while (more && !closed) {
        more =
            store.read(
                "load keywords",
                c -> {
                  long max = MemoryRepository.maxSeq(c);
                  loading.lock();
                  try {
                    if (index.loadedUpTo() < max) {
                      if (failBackgroundBatches > 0) {
                        failBackgroundBatches--;
                        throw new IllegalStateException("a failure injected by a test");
                      }
                      loadBatch(c, max, true);
                    }
                    return index.loadedUpTo() < max;
                  } finally {
                    loading.unlock();
                  }
                });
      }
      synchronized (this) {
        failed = false;
      }
    } catch (RuntimeException e) {
      if (!closed) {
        // Recall keeps using FTS5; a recall 10 s from now starts the loader again.
        LOG.warn("keyword index: loading stopped: {}", e.getMessage());
        synchronized (this) {
          failed = true;
          failedAt = clock.millis();
        }
      }
    }
  }

  /** Stops the background loader (waiting for its current batch) before the store closes. */
  void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = background;
    }
    if (t != null) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
