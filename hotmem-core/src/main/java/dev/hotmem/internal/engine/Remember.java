package dev.hotmem.internal.engine;

import dev.hotmem.HotMemException;
import dev.hotmem.Memory;
import dev.hotmem.MemoryStatus;
import dev.hotmem.NewMemory;
import dev.hotmem.Remembered;
import dev.hotmem.embed.Embedder;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.internal.store.MemoryRepository;
import dev.hotmem.internal.store.MemoryRepository.NewRow;
import dev.hotmem.internal.store.MemoryRepository.Row;
import dev.hotmem.internal.store.MetadataCodec;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.store.Ulid;
import dev.hotmem.internal.trace.Tracer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One batch stored, end to end: validate and hash everything, look up duplicates in one query per
 * namespace, embed only what is new (in batches of {@value #EMBED_BATCH}), insert rows and add them
 * to the full-text index in one transaction, then to the vector index. All or nothing. The
 * transaction looks the duplicates up again: one forgotten since the first look makes the whole
 * batch start over once (then it is a {@link HotMemException.Conflict}). Thread-safe: the store
 * serialises the write transactions.
 */
final class Remember {
  /** Texts per embedder call when storing in bulk. */
  static final int EMBED_BATCH = 256;

  /** How often, at most, the write path probes for expired memories to purge. */
  private static final long EXPIRY_SWEEP_MILLIS = 60_000;

  private final Clock clock;
  private final SqliteStore store;
  private final Embedder embedder;
  private final VectorIndex index;
  private final IndexSync sync;
  private final Ulid ulid;
  private final Tracer tracer;
  private long nextExpirySweep; // guarded by this

  /** For tests: runs once between the duplicate lookup and the write transaction. */
  private volatile Runnable afterDuplicateLookup;

  Remember(
      Clock clock,
      SqliteStore store,
      Embedder embedder,
      VectorIndex index,
      IndexSync sync,
      Tracer tracer) {
    this.clock = clock;
    this.store = store;
    this.embedder = embedder;
    this.index = index;
    this.sync = sync;
    this.ulid = new Ulid(clock);
    this.tracer = tracer;
  }

  /** For tests: {@code hook} runs once, after the next duplicate lookup, before its transaction. */
  void afterDuplicateLookup(Runnable hook) {
    this.afterDuplicateLookup = hook;
  }

  /**
   * Work that runs in the transaction that stores the memories, once they are in: it sees what was
   * stored (or found as a duplicate) and commits or rolls back with it.
   */
  @FunctionalInterface
  interface Then<T> {
    /**
     * @param statusChanged to be told each memory whose status the work changed, as in {@link
     *     MemoryEngine.StatusWork}
     * @param remembered one result per memory stored, in input order
     */
    T run(
        SqliteStore.Conn c,
        BiConsumer<Long, MemoryStatus> statusChanged,
        List<Remembered> remembered)
        throws SQLException;
  }

  /** What a {@link #run} stored, and what its {@link Then} returned. */
  record Stored<T>(List<Remembered> remembered, T then) {}

  /** Stores memories in one transaction; see {@link dev.hotmem.HotMem#rememberAll}. */
  List<Remembered> run(List<NewMemory> memories) {
    return run(memories, null).remembered();
  }

  /**
   * Stores memories in one transaction and runs {@code then} (if not null) in it; the vector index
   * follows after the commit, status changes included.
   */
  <T> Stored<T> run(List<NewMemory> memories, Then<T> then) {
    Tracer.Span span = tracer.start("db", "remember");
    try {
      Stored<T> out = rememberAll(memories, then, span);
      span.end();
      return out;
    } catch (RuntimeException e) {
      span.error(e).end();
      throw e;
    }
  }

  private <T> Stored<T> rememberAll(List<NewMemory> memories, Then<T> then, Tracer.Span span) {
    try {
      return attempt(memories, then, span);
    } catch (DuplicateGone first) {
      // A duplicate found before the transaction was forgotten (or replaced) before it began:
      // look again, and embed what is now new. Rare: it takes a write by another process or thread
      // between the two.
      span.put("retried", true);
      try {
        return attempt(memories, then, span);
      } catch (DuplicateGone again) {
        throw new HotMemException.Conflict(
            "memory "
                + again.getMessage()
                + " was forgotten twice while the same content was being stored; store it again");
      }
    }
  }

  /**
   * Thrown inside the write transaction (rolling it back) when a duplicate found before it is no
   * longer active; the message is its id.
   */
  private static final class DuplicateGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DuplicateGone(String id) {
      super(id, null, false, false);
    }
  }

  private <T> Stored<T> attempt(List<NewMemory> memories, Then<T> then, Tracer.Span span) {
    int n = memories.size();
    if (n == 0) {
      return new Stored<>(List.of(), null);
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
    Runnable hook = afterDuplicateLookup;
    if (hook != null) {
      afterDuplicateLookup = null;
      hook.run();
    }

    long[] seqs = new long[n];
    Memory[] stored = new Memory[n];
    Map<Long, MemoryStatus> changed = new LinkedHashMap<>();
    List<Remembered> out = new ArrayList<>(n);
    Object[] thenResult = new Object[1];
    List<Long> expired =
        store.write(
            "remember",
            c -> {
              List<Long> swept = new ArrayList<>(sweepExpiredIfDue(c, now));
              sync.catchUp(c);
              recheckDuplicates(c, memories, hashes, existing, now);
              List<NewRow> rows = new ArrayList<>(fresh.size());
              for (int k = 0; k < fresh.size(); k++) {
                int i = fresh.get(k);
                NewMemory m = memories.get(i);
                Long expiresAt = m.ttl() == null ? null : now + m.ttl().toMillis();
                rows.add(
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
                        vectors[k],
                        m.context()));
              }
              Map<String, Long> inserted = MemoryRepository.insertAll(c, rows);
              for (int k = 0; k < fresh.size(); k++) {
                int i = fresh.get(k);
                NewMemory m = memories.get(i);
                NewRow row = rows.get(k);
                Long seq = inserted.get(row.id());
                if (seq == null) {
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
                            + " conflicts with a row that is neither active nor expired");
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
              out.clear();
              for (int i = 0; i < n; i++) {
                int f = firstOf[i];
                if (stored[f] != null) {
                  out.add(new Remembered(stored[f], f != i));
                } else if (existing[f] != null) {
                  out.add(new Remembered(existing[f].memory(), true));
                } else {
                  throw new IllegalStateException("memory " + i + " was neither stored nor found");
                }
              }
              if (then != null) {
                changed.clear();
                thenResult[0] = then.run(c, changed::put, List.copyOf(out));
              }
              return swept;
            });
    long maxSeq = 0;
    List<VectorEntry> added = new ArrayList<>(fresh.size());
    for (int k = 0; k < fresh.size(); k++) {
      int i = fresh.get(k);
      if (stored[i] != null) {
        NewMemory m = memories.get(i);
        added.add(
            new VectorEntry(
                seqs[i], vectors[k], m.namespace(), m.identifier(), MemoryStatus.ACTIVE));
        maxSeq = Math.max(maxSeq, seqs[i]);
      }
    }
    index.upsertAll(added);
    sync.advanceTo(maxSeq);
    expired.forEach(index::remove);
    changed.forEach(index::setStatus); // after the upsert: the work may change a new row's status

    int duplicates = 0;
    for (Remembered r : out) {
      duplicates += r.duplicate() ? 1 : 0;
    }
    span.put("count", n).put("stored", n - duplicates).put("duplicates", duplicates);
    @SuppressWarnings("unchecked") // the value then.run returned, a T
    T result = (T) thenResult[0];
    return new Stored<>(List.copyOf(out), result);
  }

  /**
   * Looks up again, inside the write transaction, the duplicates found before it: each must still
   * be active (it is then refreshed), or the transaction rolls back with {@link DuplicateGone}.
   * Without this, a memory forgotten in between would be answered as the "duplicate" and the new
   * one never stored.
   */
  private static void recheckDuplicates(
      SqliteStore.Conn c, List<NewMemory> memories, String[] hashes, Row[] existing, long now)
      throws SQLException {
    Map<String, List<Integer>> byNamespace = new HashMap<>();
    for (int i = 0; i < existing.length; i++) {
      if (existing[i] != null) {
        byNamespace.computeIfAbsent(memories.get(i).namespace(), k -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<String, List<Integer>> e : byNamespace.entrySet()) {
      List<String> wanted = new ArrayList<>(e.getValue().size());
      for (int i : e.getValue()) {
        wanted.add(hashes[i]);
      }
      Map<String, Row> active = MemoryRepository.findActiveByHashes(c, e.getKey(), wanted, now);
      for (int i : e.getValue()) {
        Row current = active.get(hashes[i]);
        if (current == null) {
          throw new DuplicateGone(existing[i].memory().id());
        }
        existing[i] = current;
      }
    }
  }

  private float[][] embedAll(List<NewMemory> memories, List<Integer> fresh) {
    List<String> contents = new ArrayList<>(fresh.size());
    List<String> contexts = new ArrayList<>(fresh.size());
    for (int i : fresh) {
      contents.add(memories.get(i).content());
      contexts.add(memories.get(i).context());
    }
    return Embeddings.embedDocuments(embedder, contents, contexts, EMBED_BATCH, tracer);
  }

  private static Memory toMemory(NewRow r, NewMemory m) {
    Instant created = Instant.ofEpochMilli(r.createdAt());
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
        r.expiresAt() == null ? null : Instant.ofEpochMilli(r.expiresAt()),
        MemoryStatus.ACTIVE,
        null,
        r.context());
  }

  private List<Long> sweepExpiredIfDue(SqliteStore.Conn c, long now) throws SQLException {
    if (!claimExpirySweep(now)) {
      return List.of();
    }
    return MemoryRepository.anyExpired(c, now) ? MemoryRepository.purgeExpired(c, now) : List.of();
  }

  /**
   * Whether an expiry sweep is due at {@code now}; if so, the next one is scheduled a minute later.
   * Shared by the write path and the maintenance thread so expired rows are swept once a minute.
   */
  synchronized boolean claimExpirySweep(long now) {
    if (now < nextExpirySweep) {
      return false;
    }
    nextExpirySweep = now + EXPIRY_SWEEP_MILLIS;
    return true;
  }

  /** SHA-256 of identifier, a newline and content, as lower-case hex. */
  static String contentHash(String identifier, String content) {
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
}
