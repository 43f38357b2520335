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
import dev.hotmem.embed.Embedder;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.internal.index.ExactVectorIndex;
import dev.hotmem.internal.store.MemoryRepository;
import dev.hotmem.internal.store.MemoryRepository.NewRow;
import dev.hotmem.internal.store.MemoryRepository.Row;
import dev.hotmem.internal.store.MetadataCodec;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.store.Ulid;
import dev.hotmem.internal.trace.Tracer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link dev.hotmem.HotMem}: storage, embedding, indexing and recall wired
 * together. Thread-safe: writes are serialised by the store, reads run concurrently.
 */
public final class MemoryEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryEngine.class);

  /** Texts per embedder call when storing in bulk. */
  static final int EMBED_BATCH = 256;

  /** How often, at most, the write path probes for expired memories to purge. */
  private static final long EXPIRY_SWEEP_MILLIS = 60_000;

  private final HotMemConfig config;
  private final Clock clock;
  private final Path ephemeralDir;
  private final SqliteStore store;
  private final Embedder embedder;
  private final VectorIndex index;
  private final IndexSync sync;
  private final Ulid ulid;
  private final Tracer tracer;
  private final Recall recall;
  private final AccessRecorder access = new AccessRecorder();
  private final ScheduledExecutorService maintenance;
  private final ExecutorService searchPool;
  private volatile long nextExpirySweep;

  private MemoryEngine(HotMemConfig config, Path path, Path ephemeralDir) {
    this.config = config;
    this.clock = config.clock();
    this.ephemeralDir = ephemeralDir;
    this.embedder = config.embedder();
    this.tracer = Tracer.create(config.tracing(), clock);
    this.ulid = new Ulid(clock);
    Tracer.Span span = tracer.start("db", "open");
    this.store =
        SqliteStore.open(path, config.synchronous(), config.busyTimeout(), config.readerPoolSize());
    this.searchPool =
        Executors.newFixedThreadPool(
            1, daemonThreads("hotmem-vector-search " + path.getFileName()));
    try {
      StoreIdentity.check(store, embedder, clock, ulid);
      this.index = new ExactVectorIndex(embedder.dimension());
      this.sync = new IndexSync(index, embedder.id(), embedder.dimension());
      int loaded = store.read("load vectors", sync::catchUp);
      this.recall = new Recall(config, store, embedder, index, sync, tracer, access, searchPool);
      span.put("vectors", loaded).end();
    } catch (RuntimeException e) {
      searchPool.shutdownNow();
      store.close();
      throw e;
    }
    this.maintenance =
        Executors.newSingleThreadScheduledExecutor(
            daemonThreads("hotmem-maintenance " + path.getFileName()));
    long every = config.accessFlushInterval().toMillis();
    maintenance.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
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

  public Path path() {
    return store.path();
  }

  public HotMemConfig config() {
    return config;
  }

  // ---------------------------------------------------------------- writes

  /** Stores memories in one transaction; see {@link dev.hotmem.HotMem#rememberAll}. */
  public List<Remembered> remember(List<NewMemory> memories) {
    Tracer.Span span = tracer.start("db", "remember");
    try {
      List<Remembered> out = rememberAll(memories, span);
      span.end();
      return out;
    } catch (RuntimeException e) {
      span.error(e).end();
      throw e;
    }
  }

  private List<Remembered> rememberAll(List<NewMemory> memories, Tracer.Span span) {
    int n = memories.size();
    if (n == 0) {
      return List.of();
    }
    long now = clock.millis();
    // Validate and hash everything before touching the store: a bad item stores nothing.
    String[] hashes = new String[n];
    String[] metadata = new String[n];
    for (int i = 0; i < n; i++) {
      NewMemory m = memories.get(i);
      hashes[i] = contentHash(m.identifier(), m.content());
      metadata[i] = MetadataCodec.encode(m.metadata());
    }
    // Duplicates (of stored memories, or earlier in this batch) are not embedded.
    Row[] existing = new Row[n];
    int[] firstOf = new int[n];
    Map<String, Integer> seen = new HashMap<>();
    Map<String, List<String>> hashesByNamespace = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String namespace = memories.get(i).namespace();
      Integer first = seen.putIfAbsent(namespace + '\n' + hashes[i], i);
      firstOf[i] = first == null ? i : first;
      if (first == null) {
        hashesByNamespace.computeIfAbsent(namespace, k -> new ArrayList<>()).add(hashes[i]);
      }
    }
    Map<String, Map<String, Row>> activeByNamespace =
        store.read(
            "find duplicates",
            c -> {
              Map<String, Map<String, Row>> found = new HashMap<>();
              for (Map.Entry<String, List<String>> e : hashesByNamespace.entrySet()) {
                found.put(
                    e.getKey(),
                    MemoryRepository.findActiveByHashes(c, e.getKey(), e.getValue(), now));
              }
              return found;
            });
    for (int i = 0; i < n; i++) {
      if (firstOf[i] == i) {
        existing[i] = activeByNamespace.get(memories.get(i).namespace()).get(hashes[i]);
      }
    }
    List<Integer> fresh = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (firstOf[i] == i && existing[i] == null) {
        fresh.add(i);
      }
    }
    float[][] vectors = embedAll(memories, fresh);

    long[] seqs = new long[n];
    Memory[] stored = new Memory[n];
    List<Long> expired =
        store.write(
            "remember",
            c -> {
              List<Long> swept = new ArrayList<>(sweepExpiredIfDue(c, now));
              sync.catchUp(c);
              for (int k = 0; k < fresh.size(); k++) {
                int i = fresh.get(k);
                NewMemory m = memories.get(i);
                Long expiresAt = m.ttl() == null ? null : now + m.ttl().toMillis();
                NewRow row =
                    new NewRow(
                        ulid.next(),
                        m.namespace(),
                        m.identifier(),
                        m.content(),
                        m.kind(),
                        m.importance(),
                        m.category(),
                        m.scope(),
                        m.source(),
                        metadata[i],
                        hashes[i],
                        now,
                        expiresAt,
                        embedder.id(),
                        vectors[k]);
                long seq = MemoryRepository.insert(c, row);
                if (seq < 0) {
                  // Stored by another process since we looked (return theirs), or an expired copy
                  // not yet swept holds the unique slot (erase it and store ours).
                  existing[i] = MemoryRepository.findActiveByHash(c, m.namespace(), hashes[i], now);
                  if (existing[i] != null) {
                    continue;
                  }
                  long stale =
                      MemoryRepository.purgeExpiredDuplicate(c, m.namespace(), hashes[i], now);
                  if (stale >= 0) {
                    swept.add(stale);
                  }
                  seq = MemoryRepository.insert(c, row);
                  if (seq < 0) {
                    throw new IllegalStateException(
                        "memory "
                            + hashes[i]
                            + " conflicts with a row that is neither active nor"
                            + " expired");
                  }
                }
                seqs[i] = seq;
                stored[i] = toMemory(row, m);
              }
              long first = Long.MAX_VALUE;
              long last = Long.MIN_VALUE;
              for (long seq : seqs) {
                if (seq > 0) {
                  first = Math.min(first, seq);
                  last = Math.max(last, seq);
                }
              }
              if (first <= last) {
                // Under the write lock no other row can fall between our first and last seq.
                MemoryRepository.indexForSearch(c, first, last);
              }
              return swept;
            });
    long maxSeq = 0;
    for (int k = 0; k < fresh.size(); k++) {
      int i = fresh.get(k);
      if (stored[i] != null) {
        NewMemory m = memories.get(i);
        index.upsert(
            new VectorEntry(
                seqs[i], vectors[k], m.namespace(), m.identifier(), MemoryStatus.ACTIVE));
        maxSeq = Math.max(maxSeq, seqs[i]);
      }
    }
    sync.advanceTo(maxSeq);
    expired.forEach(index::remove);

    List<Remembered> out = new ArrayList<>(n);
    int duplicates = 0;
    for (int i = 0; i < n; i++) {
      int f = firstOf[i];
      if (stored[f] != null) {
        boolean dup = f != i;
        out.add(new Remembered(stored[f], dup));
        duplicates += dup ? 1 : 0;
      } else if (existing[f] != null) {
        out.add(new Remembered(existing[f].memory(), true));
        duplicates++;
      } else {
        throw new IllegalStateException("memory " + i + " was neither stored nor found");
      }
    }
    span.put("count", n).put("stored", n - duplicates).put("duplicates", duplicates);
    return out;
  }

  private float[][] embedAll(List<NewMemory> memories, List<Integer> fresh) {
    float[][] out = new float[fresh.size()][];
    if (fresh.isEmpty()) {
      return out;
    }
    Tracer.Span span = tracer.start("embed", "embed");
    for (int from = 0; from < fresh.size(); from += EMBED_BATCH) {
      int to = Math.min(fresh.size(), from + EMBED_BATCH);
      List<String> texts = new ArrayList<>(to - from);
      for (int k = from; k < to; k++) {
        texts.add(memories.get(fresh.get(k)).content());
      }
      List<float[]> vs = Embeddings.embed(embedder, texts);
      for (int k = from; k < to; k++) {
        out[k] = vs.get(k - from);
      }
    }
    span.put("count", fresh.size()).put("model", embedder.id()).end();
    return out;
  }

  private static Memory toMemory(NewRow r, NewMemory m) {
    java.time.Instant created = java.time.Instant.ofEpochMilli(r.createdAt());
    return new Memory(
        r.id(),
        r.namespace(),
        r.identifier(),
        r.content(),
        r.kind(),
        r.importance(),
        r.category(),
        r.scope(),
        r.source(),
        MetadataCodec.decode(r.metadataJson()),
        r.contentHash(),
        created,
        created,
        null,
        0,
        r.expiresAt() == null ? null : java.time.Instant.ofEpochMilli(r.expiresAt()),
        MemoryStatus.ACTIVE,
        null);
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
  }

  /** Erases; see {@link dev.hotmem.HotMem#purge}. */
  public void purge(String id) {
    requireId(id);
    Tracer.Span span = tracer.start("db", "purge");
    long seq = store.write("purge", c -> MemoryRepository.purge(c, id));
    if (seq < 0) {
      span.put("found", false).end();
      throw notFound(id);
    }
    index.remove(seq);
    span.end();
  }

  /** Erases every expired memory now; returns how many. */
  public int purgeExpired() {
    long now = clock.millis();
    List<Long> seqs = store.write("purge expired", c -> MemoryRepository.purgeExpired(c, now));
    seqs.forEach(index::remove);
    return seqs.size();
  }

  private List<Long> sweepExpiredIfDue(SqliteStore.Conn c, long now) throws SQLException {
    if (now < nextExpirySweep) {
      return List.of();
    }
    nextExpirySweep = now + EXPIRY_SWEEP_MILLIS;
    return MemoryRepository.anyExpired(c, now) ? MemoryRepository.purgeExpired(c, now) : List.of();
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

  // ---------------------------------------------------------------- reads

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
      if (now >= nextExpirySweep) {
        nextExpirySweep = now + EXPIRY_SWEEP_MILLIS;
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
    searchPool.shutdown();
    try {
      maintenance.awaitTermination(5, TimeUnit.SECONDS);
      searchPool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      access.flush(store);
    } catch (HotMemException e) {
      LOG.warn("access counts not saved on close: {}", e.getMessage());
    }
    Tracer.Span span = tracer.start("db", "close");
    index.close();
    store.close();
    span.end();
    if (ephemeralDir != null) {
      deleteQuietly(ephemeralDir);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** SHA-256 of identifier, a newline and content, as lower-case hex. */
  public static String contentHash(String identifier, String content) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(identifier.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(content.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
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
