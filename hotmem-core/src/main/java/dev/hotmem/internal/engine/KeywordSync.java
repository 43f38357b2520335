package dev.hotmem.internal.engine;

import dev.hotmem.MemoryStatus;
import dev.hotmem.internal.search.KeywordIndex;
import dev.hotmem.internal.search.KeywordTerms;
import dev.hotmem.internal.store.MemoryRepository;
import dev.hotmem.internal.store.RecallQueries;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.store.SqliteStore.Conn;
import java.sql.SQLException;
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
 * above the watermark (as in {@link IndexSync}). What this process changes in rows already indexed
 * (status, importance, erasure) is applied by the engine after each commit; what other processes
 * change is not seen (the vector index has the same limit), but recall re-checks every row it
 * returns against SQLite, so such a row is never returned.
 */
final class KeywordSync {
  private static final Logger LOG = LoggerFactory.getLogger(KeywordSync.class);

  /** Above this gap between the index and the store, recall does not wait for the index. */
  static final int INLINE_ROWS = 1_000;

  private static final int BATCH = 4_096;

  private final KeywordIndex index = new KeywordIndex();
  private final SqliteStore store;
  private final String name;

  /** One loader at a time: the background thread, or a recall catching up inline. */
  private final ReentrantLock loading = new ReentrantLock();

  /** After a failed load, recalls do not start another for this long (they use FTS5). */
  private static final long RETRY_NANOS = 10_000_000_000L;

  private Thread background;
  private long failedAt; // System.nanoTime() of the last failed load; guarded by this
  private boolean failed; // guarded by this
  private volatile boolean closed;

  KeywordSync(SqliteStore store, String name) {
    this.store = store;
    this.name = name;
  }

  KeywordIndex index() {
    return index;
  }

  /**
   * Whether the index holds every row up to {@code maxSeq} (the reader's {@code max(seq)}), after
   * loading them on {@code c} when at most {@link #INLINE_ROWS} keys are missing. A larger gap
   * starts the background loader and answers false.
   */
  boolean ready(Conn c, long maxSeq) throws SQLException {
    long loaded = index.loadedUpTo();
    if (loaded >= maxSeq) {
      return true;
    }
    if (maxSeq - loaded > INLINE_ROWS || isLoadingInBackground()) {
      startBackground();
      return false;
    }
    loading.lock();
    try {
      while (index.loadedUpTo() < maxSeq) {
        loadBatch(c, maxSeq, false);
      }
      return true;
    } finally {
      loading.unlock();
    }
  }

  /**
   * Loads the next rows up to {@code upTo}, tokenizing them on every core when {@code parallel};
   * caller holds {@link #loading}.
   */
  private void loadBatch(Conn c, long upTo, boolean parallel) throws SQLException {
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
    if (closed
        || isLoadingInBackground()
        || (failed && System.nanoTime() - failedAt < RETRY_NANOS)) {
      return;
    }
    background = new Thread(this::loadAll, "hotmem-keyword-index " + name);
    background.setDaemon(true);
    background.start();
  }

  private synchronized boolean isLoadingInBackground() {
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
                      loadBatch(c, max, true);
                    }
                    return index.loadedUpTo() < max;
                  } finally {
                    loading.unlock();
                  }
                });
      }
    } catch (RuntimeException e) {
      if (!closed) {
        // Recall keeps using FTS5; a recall 10 s from now starts the loader again.
        LOG.warn("keyword index: loading stopped: {}", e.getMessage());
        synchronized (this) {
          failed = true;
          failedAt = System.nanoTime();
        }
      }
    }
  }

  /** Records a status change this process committed. */
  void setStatus(long seq, MemoryStatus status) {
    index.setStatus(seq, status);
  }

  /** Records an importance this process committed. */
  void setImportance(long seq, double importance) {
    index.setImportance(seq, importance);
  }

  /** Records rows this process erased. */
  void erase(List<Long> seqs) {
    index.erase(seqs);
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
