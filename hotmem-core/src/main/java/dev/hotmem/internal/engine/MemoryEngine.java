package dev.hotmem.internal.engine;

import dev.hotmem.HotMemConfig;
import dev.hotmem.HotMemException;
import dev.hotmem.HotMemException.NotFound;
import dev.hotmem.ListQuery;
import dev.hotmem.Memory;
import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryPage;
import dev.hotmem.MemoryStatus;
import dev.hotmem.MemoryUpdate;
import dev.hotmem.NewMemory;
import dev.hotmem.RecallQuery;
import dev.hotmem.RecallResult;
import dev.hotmem.Remembered;
import dev.hotmem.StoreInfo;
import dev.hotmem.TraceSpan;
import dev.hotmem.VectorIndexStatus;
import dev.hotmem.embed.Embedder;
import dev.hotmem.internal.index.TieredVectorIndex;
import dev.hotmem.internal.store.MemoryRepository;
import dev.hotmem.internal.store.MemoryRepository.Row;
import dev.hotmem.internal.store.MetadataCodec;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.store.SwapQueries;
import dev.hotmem.internal.store.Ulid;
import dev.hotmem.internal.trace.Tracer;
import dev.hotmem.swap.HydrateOptions;
import dev.hotmem.swap.HydrateResult;
import dev.hotmem.swap.SnapshotOptions;
import dev.hotmem.swap.SnapshotResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link dev.hotmem.HotMem}: storage, embedding, indexing and recall wired
 * together. Thread-safe: writes are serialised by the store, reads run concurrently.
 */
public final class MemoryEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryEngine.class);

  private final HotMemConfig config;
  private final Clock clock;
  private final Path ephemeralDir;
  private final SqliteStore store;
  private final Embedder embedder;
  private final TieredVectorIndex index;
  private final AnnPersistence annFile;
  // Engine writes hold the read side from their commit to their index update; close takes the
  // write side, so the side-file it saves sees every committed write applied.
  private final ReentrantReadWriteLock writes = new ReentrantReadWriteLock();
  private final IndexSync sync;
  private final KeywordSync keywords; // null when config.keywordIndex() is off
  private final Tracer tracer;
  private final Recall recall;
  private final Remember remember;
  private final Hydrate hydrate;
  private final Snapshot snapshot;
  private final AccessRecorder access = new AccessRecorder();
  private final ScheduledExecutorService maintenance;
  private final VectorScanBatcher vectorSearch;

  private MemoryEngine(HotMemConfig config, Path path, Path ephemeralDir) {
    this.config = config;
    this.clock = config.clock();
    this.ephemeralDir = ephemeralDir;
    this.embedder = config.embedder();
    this.tracer = Tracer.create(config.tracing(), clock);
    Tracer.Span span = tracer.start("db", "open");
    this.store =
        SqliteStore.open(path, config.synchronous(), config.busyTimeout(), config.readerPoolSize());
    try {
      String storeId = StoreIdentity.check(store, embedder, clock, new Ulid(clock));
      this.annFile = new AnnPersistence(store, storeId, embedder, ephemeralDir == null);
      this.index = annFile.open(config.annThreshold());
      this.sync = new IndexSync(index, embedder.id(), embedder.dimension());
      sync.advanceTo(annFile.loadedMaxSeq());
      long loadStart = System.nanoTime();
      int loaded = store.read("load vectors", sync::catchUp);
      annFile.rebuilt(index, loaded, (System.nanoTime() - loadStart) / 1_000_000);
      this.keywords =
          config.keywordIndex()
              ? new KeywordSync(store, path.getFileName().toString(), clock)
              : null;
      this.vectorSearch =
          new VectorScanBatcher(index, "hotmem-vector-search " + path.getFileName());
      this.recall =
          new Recall(config, store, embedder, index, sync, keywords, tracer, access, vectorSearch);
      this.remember = new Remember(clock, store, embedder, index, sync, tracer);
      this.hydrate = new Hydrate(clock, store, embedder, index, sync, tracer);
      this.snapshot = new Snapshot(store, tracer);
      span.put("vectors", loaded).end();
      if (keywords != null) {
        keywords.startBackground();
      }
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    this.maintenance =
        Executors.newSingleThreadScheduledExecutor(
            daemonThreads("hotmem-maintenance " + path.getFileName()));
    long every = config.accessFlushInterval().toMillis();
    maintenance.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
    // A background build can take 20 minutes (1,000,000 memories): save its graph as soon as it is
    // in use, so that a process killed later leaves a side-file the next open reconciles instead of
    // a rebuild. A build that ended before this line is saved at close.
    index.onGraphReady(
        () -> {
          try {
            maintenance.execute(this::saveIndexAfterBuild);
          } catch (RejectedExecutionException e) {
            // closing: close saves it
          }
        });
  }

  /**
   * Writes the side-file of a graph just built. Writers wait meanwhile, and searches too (JVector
   * saves a write-locked graph): 0.7 s at 100,000 memories, 5-7 s at 1,000,000, once per build.
   */
  private void saveIndexAfterBuild() {
    writes.writeLock().lock();
    try {
      if (!maintenance.isShutdown() && !store.isClosed()) { // else close saves it
        annFile.save(index, sync.synced());
      }
    } finally {
      writes.writeLock().unlock();
    }
  }

  /** Opens the store {@code config} describes (an ephemeral one when it has no path). */
  public static MemoryEngine open(HotMemConfig config) {
    if (config.path() != null) {
      return new MemoryEngine(config, config.path(), null);
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("hotmem-");
    } catch (IOException e) {
      throw new HotMemException.StorageFailed(
          "cannot create a temporary directory for an ephemeral store: " + e.getMessage(), e);
    }
    try {
      return new MemoryEngine(config, dir.resolve("memory.sqlite"), dir);
    } catch (RuntimeException e) {
      deleteQuietly(dir);
      throw e;
    }
  }

  /**
   * The embedder spec recorded by the store at {@code db}, read without opening it for writing;
   * null when there is no store there or it records none. See {@link
   * dev.hotmem.HotMem#recordedEmbedder}.
   */
  public static String recordedSpec(Path db, java.time.Duration busyTimeout) {
    return SqliteStore.peek(
        db,
        busyTimeout,
        "read the recorded embedder",
        c -> {
          if (!c.hasTable("meta")) {
            return null;
          }
          return StoreIdentity.recordedSpec(StoreIdentity.read(c));
        });
  }

  public Path path() {
    return store.path();
  }

  public HotMemConfig config() {
    return config;
  }

  // ---------------------------------------------------------------- writes

  /** Stores memories in one transaction; see {@link dev.hotmem.HotMem#rememberAll}. */
  public List<Remembered> remember(List<NewMemory> memories) {
    return writing(() -> remember.run(memories));
  }

  /**
   * Stores one memory and, in the same transaction, runs {@code then} with what was stored (the new
   * memory, or the duplicate found); then the vector index follows, the status changes {@code then}
   * reported included. For layers that keep their own rows beside a memory (the fact layer's tiers
   * and supersession): both commit or neither does.
   *
   * @return what {@code then} returned, and the stored memory
   */
  public <T> Stored<T> rememberThen(NewMemory memory, RememberedWork<T> then) {
    Remember.Stored<T> out =
        writing(
            () ->
                remember.run(
                    List.of(memory),
                    (c, changed, results) -> then.run(c, changed, results.get(0))));
    return new Stored<>(out.remembered().get(0), out.then());
  }

  /** The in-memory keyword index's sync, or null when it is off (for tests). */
  KeywordSync keywordSync() {
    return keywords;
  }

  /**
   * For tests: {@code hook} runs once, between the next write's duplicate lookup and its commit.
   */
  void afterDuplicateLookup(Runnable hook) {
    remember.afterDuplicateLookup(hook);
  }

  /** A memory stored by {@link #rememberThen} and what the work done with it returned. */
  public record Stored<T>(Remembered remembered, T result) {}

  /** Work in the transaction that stored a memory; see {@link #rememberThen}. */
  @FunctionalInterface
  public interface RememberedWork<T> {
    /**
     * @param statusChanged as in {@link StatusWork}
     * @param remembered the memory stored, or the existing duplicate
     */
    T run(
        SqliteStore.Conn conn, BiConsumer<Long, MemoryStatus> statusChanged, Remembered remembered)
        throws SQLException;
  }

  /** Changes importance, metadata or category; see {@link dev.hotmem.HotMem#update}. */
  public Memory update(String id, MemoryUpdate update) {
    requireId(id);
    String metadataJson =
        update.metadata() == null ? null : MetadataCodec.encode(update.metadata());
    Tracer.Span span = tracer.start("db", "update");
    long now = clock.millis();
    Row row =
        store.write(
            "update",
            c -> {
              if (!MemoryRepository.update(
                  c, id, update.importance(), metadataJson, update.category(), now)) {
                return null;
              }
              return MemoryRepository.findAny(c, id);
            });
    if (row == null) {
      span.put("found", false).end();
      throw notFound(id);
    }
    span.end();
    return row.memory();
  }

  /** Soft-deletes; see {@link dev.hotmem.HotMem#forget}. */
  public void forget(String id) {
    writing(() -> forgetNow(id));
  }

  private Void forgetNow(String id) {
    requireId(id);
    Tracer.Span span = tracer.start("db", "forget");
    long now = clock.millis();
    long seq = store.write("forget", c -> MemoryRepository.forget(c, id, now));
    if (seq < 0) {
      span.put("found", false).end();
      throw notFound(id);
    }
    index.remove(seq);
    span.end();
    return null;
  }

  /** Erases; see {@link dev.hotmem.HotMem#purge}. */
  public void purge(String id) {
    writing(() -> purgeNow(id));
  }

  private Void purgeNow(String id) {
    requireId(id);
    Tracer.Span span = tracer.start("db", "purge");
    long seq = store.write("purge", c -> MemoryRepository.purge(c, id));
    if (seq < 0) {
      span.put("found", false).end();
      throw notFound(id);
    }
    index.remove(seq);
    span.end();
    return null;
  }

  /** Erases every expired memory now; returns how many. */
  public int purgeExpired() {
    return writing(
        () -> {
          long now = clock.millis();
          List<Long> seqs =
              store.write("purge expired", c -> MemoryRepository.purgeExpired(c, now));
          seqs.forEach(index::remove);
          return seqs.size();
        });
  }

  /**
   * Makes erased data unrecoverable from the file: merges the FTS5 index (dropping deleted
   * entries), checkpoints and truncates the WAL, and rebuilds the file with VACUUM.
   */
  public void vacuum() {
    Tracer.Span span = tracer.start("db", "vacuum");
    store.writeNoTransaction(
        "vacuum",
        c -> {
          c.closeStatements();
          c.exec("INSERT INTO memories_fts (memories_fts) VALUES ('optimize')");
          c.exec("PRAGMA wal_checkpoint(TRUNCATE)");
          c.exec("VACUUM");
          c.exec("PRAGMA wal_checkpoint(TRUNCATE)");
          return null;
        });
    span.end();
  }

  /** Loads a swap file; see {@link dev.hotmem.HotMem#hydrate}. */
  public HydrateResult hydrate(Path file, HydrateOptions options) {
    return writing(() -> hydrate.run(file, options));
  }

  // ---------------------------------------------------------------- reads

  /** Writes a swap file; see {@link dev.hotmem.HotMem#snapshot}. */
  public SnapshotResult snapshot(Path file, SnapshotOptions options) {
    // Pending access counts go into the file too.
    access.flush(store);
    return snapshot.run(file, options);
  }

  /** What the store is and holds; see {@link dev.hotmem.HotMem#info}. */
  public StoreInfo info() {
    long now = clock.millis();
    return store.read(
        "info",
        c -> {
          Map<String, String> meta = StoreIdentity.read(c);
          return new StoreInfo(
              store.path(),
              meta.get(StoreIdentity.STORE_ID),
              Instant.parse(meta.get(StoreIdentity.CREATED_AT)),
              c.intPragma("user_version"),
              meta.get(StoreIdentity.EMBEDDER_ID),
              Integer.parseInt(meta.get(StoreIdentity.EMBEDDER_DIMENSION)),
              StoreIdentity.recordedSpec(meta),
              MemoryRepository.countActive(c, now),
              SwapQueries.countAll(c));
        });
  }

  /** See {@link dev.hotmem.HotMem#vectorIndex}. */
  public VectorIndexStatus vectorIndex() {
    return index.status();
  }

  /** A trace span of a face; see {@link dev.hotmem.HotMem#trace}. */
  public TraceSpan trace(String component, String op) {
    return tracer.start(component, op);
  }

  public RecallResult recall(RecallQuery query) {
    return recall.run(query);
  }

  public Memory get(String id) {
    requireId(id);
    long now = clock.millis();
    Row row = store.read("get", c -> MemoryRepository.findVisible(c, id, now));
    if (row == null) {
      throw notFound(id);
    }
    return row.memory();
  }

  public MemoryPage list(ListQuery q) {
    Tracer.Span span = tracer.start("db", "list");
    long now = clock.millis();
    MemoryPage page =
        store.read(
            "list",
            c -> {
              List<Row> rows =
                  MemoryRepository.list(c, q.filter(), now, q.order(), q.limit(), q.offset());
              long total = MemoryRepository.count(c, q.filter(), now);
              return new MemoryPage(
                  rows.stream().map(Row::memory).toList(),
                  rows.size(),
                  total,
                  q.offset(),
                  q.limit());
            });
    span.put("count", page.count()).end();
    return page;
  }

  public long count(MemoryFilter filter) {
    long now = clock.millis();
    return store.read("count", c -> MemoryRepository.count(c, filter, now));
  }

  public long countActive() {
    long now = clock.millis();
    return store.read("count", c -> MemoryRepository.countActive(c, now));
  }

  /** Writes pending access counts now (they are otherwise written every flush interval). */
  public void flushAccess() {
    access.flush(store);
  }

  private void maintain() {
    try {
      access.flush(store);
      long now = clock.millis();
      if (remember.claimExpirySweep(now)) {
        if (store.read("probe expiry", c -> MemoryRepository.anyExpired(c, now))) {
          purgeExpired();
        }
      }
    } catch (HotMemException e) {
      // Busy or closed: the next tick retries; nothing is lost (pending counts were put back).
      LOG.debug("maintenance skipped: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("maintenance failed", e);
    }
  }

  @Override
  public void close() {
    if (store.isClosed()) {
      return;
    }
    maintenance.shutdown();
    vectorSearch.close();
    if (keywords != null) {
      keywords.close();
    }
    try {
      maintenance.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      access.flush(store);
    } catch (HotMemException e) {
      LOG.warn("access counts not saved on close: {}", e.getMessage());
    }
    Tracer.Span span = tracer.start("db", "close");
    writes.writeLock().lock();
    try {
      annFile.save(index, sync.synced());
    } finally {
      writes.writeLock().unlock();
    }
    index.close();
    store.close();
    span.end();
    if (ephemeralDir != null) {
      deleteQuietly(ephemeralDir);
    }
  }

  // ---------------------------------------------------------------- for the fact layer

  /** Work in a write transaction that may change memories' statuses. */
  @FunctionalInterface
  public interface StatusWork<T> {
    /**
     * @param statusChanged to be told each memory whose status the work changed (its seq and new
     *     status), so the vector index follows after the commit
     */
    T run(SqliteStore.Conn conn, BiConsumer<Long, MemoryStatus> statusChanged) throws SQLException;
  }

  /**
   * Runs {@code work} in one write transaction of this store, then applies the status changes it
   * reported to the vector index (recall re-checks statuses against SQLite anyway; this keeps the
   * index's own status filter exact).
   */
  public <T> T writeTracked(String operation, StatusWork<T> work) {
    return writing(
        () -> {
          Map<Long, MemoryStatus> changed = new LinkedHashMap<>();
          T result =
              store.write(
                  operation,
                  c -> {
                    changed.clear();
                    return work.run(c, changed::put);
                  });
          changed.forEach(index::setStatus);
          return result;
        });
  }

  /** Runs {@code work} on a reader connection of this store. */
  public <T> T read(String operation, SqliteStore.SqlWork<T> work) {
    return store.read(operation, work);
  }

  // ---------------------------------------------------------------- helpers

  /** Runs a write that changes the vector index; see {@link #writes}. */
  private <T> T writing(Supplier<T> work) {
    writes.readLock().lock();
    try {
      return work.get();
    } finally {
      writes.readLock().unlock();
    }
  }

  private static void requireId(String id) {
    if (id == null || id.isBlank() || id.length() > 64) {
      throw new HotMemException.InvalidRequest("id", "must be a memory id; found " + id);
    }
  }

  private static NotFound notFound(String id) {
    return new NotFound("no memory with id " + id);
  }

  /** Named daemon threads: an engine the caller forgets to close must not keep the JVM alive. */
  private static ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete ephemeral store {}: {}", dir, e.getMessage());
    }
  }
}
