package dev.hotmem;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.EmbedderSpec;
import dev.hotmem.internal.engine.EngineAccess;
import dev.hotmem.internal.engine.MemoryEngine;
import dev.hotmem.internal.engine.Reindex;
import dev.hotmem.swap.HydrateOptions;
import dev.hotmem.swap.HydrateResult;
import dev.hotmem.swap.SnapshotOptions;
import dev.hotmem.swap.SnapshotResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A memory store for LLM agents in one SQLite file: store facts, recall them ranked by hybrid
 * keyword + semantic search, as message objects that fit a character or token budget.
 *
 * <pre>{@code
 * try (HotMem mem = HotMem.open(Path.of("memory.sqlite"))) {
 *   mem.remember(NewMemory.builder("vendor_x", "Invoice total was $5000").importance(0.8).build());
 *   RecallResult r = mem.recall(RecallQuery.builder("duplicate invoice risk").maxChars(1500).build());
 *   r.memories().forEach(m -> System.out.println(m.score() + " " + m.content()));
 * }
 * }</pre>
 *
 * <p><b>Thread-safety.</b> A {@code HotMem} is safe for use by any number of threads. Writes
 * ({@code remember}, {@code update}, {@code forget}, {@code purge}, {@code vacuum}) are serialised;
 * reads ({@code recall}, {@code get}, {@code list}, {@code count}) run concurrently with each other
 * and with a write, and see the last committed state. Several processes may open the same file:
 * they coordinate through SQLite's locks (a writer waits up to the busy timeout, then fails with
 * {@link ErrorCode#BUSY}), and each sees the others' committed memories.
 *
 * <p><b>Errors.</b> Every method throws only {@link HotMemException} subclasses, each with a stable
 * {@link ErrorCode}. A failed call changes nothing: a batch is stored whole or not at all.
 *
 * <p><b>Visibility.</b> Forgotten and expired memories are invisible to every method. Recall sees
 * active memories unless the filter asks for other states.
 */
public final class HotMem implements AutoCloseable {
  static {
    EngineAccess.register(mem -> mem.engine);
  }

  private final MemoryEngine engine;

  private HotMem(MemoryEngine engine) {
    this.engine = engine;
  }

  /**
   * Opens the store at {@code path} with the default configuration, creating it (and its folders)
   * if it does not exist.
   *
   * @throws HotMemException.IncompatibleStore if the file was written by a newer HotMem, belongs to
   *     another application, or was created with another embedder
   * @throws HotMemException.CorruptStore if the file is not a SQLite database
   */
  public static HotMem open(Path path) {
    return open(HotMemConfig.builder(path).build());
  }

  /** Opens the store {@code config} describes; see {@link #open(Path)} for the failures. */
  public static HotMem open(HotMemConfig config) {
    return new HotMem(MemoryEngine.open(Objects.requireNonNull(config, "config")));
  }

  /**
   * The embedder the store at {@code db} records, as the spec to give {@link
   * dev.hotmem.embed.Embedders#create(String, java.util.Map)} (or {@code --embedder}) to open it:
   * read without opening the store for writing, migrating or checking it. Faces use it so that an
   * existing store opens with its own embedder without flags.
   *
   * @return the spec, or empty when there is no store at {@code db} (or an empty file), or the
   *     store records none (it was created with an embedder that has no {@link
   *     dev.hotmem.embed.Embedder#spec() spec})
   * @throws HotMemException.IncompatibleStore if the file belongs to another application or a newer
   *     HotMem
   * @throws HotMemException.CorruptStore if the file is not a SQLite database, or the recorded spec
   *     is not one
   */
  public static Optional<EmbedderSpec> recordedEmbedder(Path db) {
    Path file = Objects.requireNonNull(db, "db").toAbsolutePath().normalize();
    String spec = MemoryEngine.recordedSpec(file, Duration.ofSeconds(5));
    if (spec == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(EmbedderSpec.parse(spec));
    } catch (IllegalArgumentException e) {
      throw new HotMemException.CorruptStore(
          file + " records an embedder spec that is not one (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Converts the store at {@code db} to the embedder {@code target}: re-embeds every memory (every
   * status) in batches, then, in one transaction, puts the new vectors in place and records {@code
   * target} as the store's embedder. Static because the store cannot be opened with a mismatched
   * embedder.
   *
   * <p><b>Interrupted runs.</b> New vectors are kept in a side table as they are computed; a run
   * that fails or is killed leaves the store exactly as it was (old embedder, old vectors), and the
   * next run with the same target continues where it stopped ({@link ReindexResult#resumed()}). A
   * run with another target starts over.
   *
   * <p><b>Other processes.</b> The store stays usable with its old embedder until the swap, and
   * memories other processes add meanwhile are embedded before it. A process that keeps the store
   * open across the swap gets {@link ErrorCode#INCOMPATIBLE_STORE} on its next write, and must
   * reopen the store with the new embedder; stop such processes (servers) first and restart them
   * after.
   *
   * @return what was converted; {@link ReindexResult#changed()} is false when the store had the
   *     target already (then only its recorded spec may be updated)
   * @throws HotMemException.NotFound if there is no store at {@code db}
   * @throws HotMemException.EmbeddingFailed if {@code target} fails; the store is unchanged and a
   *     rerun resumes
   * @throws HotMemException.IncompatibleStore if the file is not a HotMem store or too new
   */
  public static ReindexResult reindex(Path db, Embedder target, ReindexOptions options) {
    return Reindex.run(
        Objects.requireNonNull(db, "db"),
        Objects.requireNonNull(target, "target"),
        Objects.requireNonNull(options, "options"));
  }

  /** Opens an ephemeral store with the default configuration: it is deleted on {@link #close()}. */
  public static HotMem inMemory() {
    return open(HotMemConfig.ephemeral().build());
  }

  /** The store file. */
  public Path path() {
    return engine.path();
  }

  /** The configuration this store was opened with. */
  public HotMemConfig config() {
    return engine.config();
  }

  /**
   * Stores one memory, or returns the existing one if an active memory with the same identifier and
   * content exists in the namespace.
   */
  public Remembered remember(NewMemory memory) {
    return engine.remember(List.of(Objects.requireNonNull(memory, "memory"))).get(0);
  }

  /** Stores a fact about the default identifier with default settings. */
  public Remembered remember(String content) {
    return remember(NewMemory.of(content));
  }

  /**
   * Stores a batch in one transaction, embedding in batches; duplicates (of stored memories or
   * within the batch) are reported, not stored twice. All or nothing: if one item is invalid, none
   * is stored.
   *
   * @return one result per input, in input order
   * @throws HotMemException.Conflict in the rare case that another process forgets a duplicate
   *     twice while this batch is being stored (it stored nothing; store it again)
   */
  public List<Remembered> rememberAll(List<NewMemory> memories) {
    Objects.requireNonNull(memories, "memories");
    memories.forEach(m -> Objects.requireNonNull(m, "memories must not contain null"));
    return engine.remember(memories);
  }

  /**
   * Recalls the memories most relevant to the query, best first, as LLM-ready message objects.
   * Results never exceed {@code top_k}, never fall below {@code min_score}, and their contents
   * never exceed {@code max_chars} / {@code max_tokens} in sum. Each recalled memory's access count
   * and time are updated asynchronously (within the flush interval, and on close).
   */
  public RecallResult recall(RecallQuery query) {
    return engine.recall(Objects.requireNonNull(query, "query"));
  }

  /**
   * Recalls the top {@value RecallQuery#DEFAULT_TOP_K} for {@code text} in the default namespace.
   */
  public RecallResult recall(String text) {
    return recall(RecallQuery.of(text));
  }

  /**
   * The memory with this id, in any state but forgotten.
   *
   * @throws HotMemException.NotFound if there is none, or it is forgotten or expired
   */
  public Memory get(String id) {
    return engine.get(id);
  }

  /** A page of memories matching the query's filter, in creation order. */
  public MemoryPage list(ListQuery query) {
    return engine.list(Objects.requireNonNull(query, "query"));
  }

  /**
   * Changes a memory's importance, metadata or category.
   *
   * @return the memory as updated
   * @throws HotMemException.NotFound if there is no visible memory with this id
   */
  public Memory update(String id, MemoryUpdate update) {
    return engine.update(id, Objects.requireNonNull(update, "update"));
  }

  /**
   * Soft-deletes a memory: it becomes invisible everywhere but stays in the file until {@link
   * #purge}.
   *
   * @throws HotMemException.NotFound if there is no visible memory with this id
   */
  public void forget(String id) {
    engine.forget(id);
  }

  /**
   * Erases a memory (any state) for real: its row, full-text entry and vector. After the next
   * {@link #vacuum()} no trace of it remains in the file.
   *
   * @throws HotMemException.NotFound if there is no memory with this id
   */
  public void purge(String id) {
    engine.purge(id);
  }

  /** Erases every expired memory now (it also happens lazily); returns how many. */
  public int purgeExpired() {
    return engine.purgeExpired();
  }

  /**
   * Compacts the file and makes erased data unrecoverable from it: merges the full-text index,
   * checkpoints the write-ahead log and rebuilds the file. Takes the write lock for its duration.
   */
  public void vacuum() {
    engine.vacuum();
  }

  /** How many active memories the store holds, in every namespace. */
  public long count() {
    return engine.countActive();
  }

  /** How many memories match the filter. */
  public long count(MemoryFilter filter) {
    return engine.count(Objects.requireNonNull(filter, "filter"));
  }

  /**
   * Loads a swap file ({@code .jsonl}, or gzip-compressed when the name ends in {@code .gz}) into
   * this store, streaming, 512 lines per transaction. Each line is stored as written (id, times,
   * status, access counts); its vector is reused when it comes from this store's embedder and
   * embedded again otherwise. Lines whose id is stored already, or that repeat an active memory's
   * identifier and content in its namespace, are skipped as duplicates, so loading a file twice
   * stores it once.
   *
   * @throws HotMemException.NotFound if there is no such file
   * @throws HotMemException.InvalidRequest (field {@code file}) at the first malformed line, naming
   *     its number, unless {@link HydrateOptions#skipBad()}; nothing of that line's batch is
   *     stored, earlier batches stay stored
   */
  public HydrateResult hydrate(Path file, HydrateOptions options) {
    return engine.hydrate(
        Objects.requireNonNull(file, "file"), Objects.requireNonNull(options, "options"));
  }

  /**
   * Writes every memory of the store, in every status, oldest first, to a swap file (gzip when the
   * name ends in {@code .gz}). The file is written to a temporary file, fsynced and renamed over
   * {@code file}, so readers see the old file or the complete new one. Writers may go on meanwhile:
   * the snapshot is the state when it started. Loading it into an empty store with {@link #hydrate}
   * reproduces every memory exactly.
   *
   * @throws HotMemException.StorageFailed if the file cannot be written
   */
  public SnapshotResult snapshot(Path file, SnapshotOptions options) {
    return engine.snapshot(
        Objects.requireNonNull(file, "file"), Objects.requireNonNull(options, "options"));
  }

  /**
   * What answers the vector half of a recall now: exact search or the graph index, and whether a
   * graph is being built in the background (searches are slower until it ends). Cheap: no I/O.
   */
  public VectorIndexStatus vectorIndex() {
    return engine.vectorIndex();
  }

  /** What the store is (id, schema, embedder) and how many memories it holds. */
  public StoreInfo info() {
    return engine.info();
  }

  /**
   * Starts a trace span for an operation of a face built on this store (an HTTP request, a CLI
   * command): one JSON line in the engine's trace format, with the given component tag, written
   * where this store's traces go. A span that does nothing when tracing is {@link Tracing#OFF}.
   */
  public TraceSpan trace(String component, String op) {
    return engine.trace(
        Objects.requireNonNull(component, "component"), Objects.requireNonNull(op, "op"));
  }

  /** Writes pending access counts now instead of at the next flush. */
  public void flush() {
    engine.flushAccess();
  }

  /**
   * Writes pending access counts and closes the store. Idempotent. Later calls fail with {@link
   * ErrorCode#CONFLICT}.
   */
  @Override
  public void close() {
    engine.close();
  }
}
