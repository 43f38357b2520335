package dev.hotmem.internal.engine;

import dev.hotmem.HotMemException;
import dev.hotmem.MemoryStatus;
import dev.hotmem.embed.Embedder;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.internal.store.MemoryRepository;
import dev.hotmem.internal.store.MemoryRepository.Row;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.store.SwapQueries;
import dev.hotmem.internal.store.SwapQueries.ImportRow;
import dev.hotmem.internal.store.Ulid;
import dev.hotmem.internal.store.VectorCodec;
import dev.hotmem.internal.swap.BadLineException;
import dev.hotmem.internal.swap.CountingInputStream;
import dev.hotmem.internal.swap.SwapCodec;
import dev.hotmem.internal.swap.SwapEntry;
import dev.hotmem.internal.swap.SwapLineReader;
import dev.hotmem.internal.trace.Tracer;
import dev.hotmem.swap.HydrateOptions;
import dev.hotmem.swap.HydrateResult;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Loads a swap file, streaming: lines are parsed and stored {@value #BATCH} at a time, each batch
 * in one transaction, so memory stays bounded whatever the file's size.
 *
 * <p>A line is loaded exactly as written (id, times, access counts, status) so that a snapshot
 * loaded into an empty store reproduces it. Its vector is used when it comes from this store's
 * embedder; otherwise the content is embedded again. A line whose id is stored already, or which is
 * active and has the content of an active memory of its namespace, is a duplicate and is skipped.
 */
final class Hydrate {
  /** Lines per transaction. */
  static final int BATCH = 512;

  /** Longest line accepted: content, metadata and a vector at their limits fit well within it. */
  static final int MAX_LINE_BYTES = 8 << 20;

  private final Clock clock;
  private final SqliteStore store;
  private final Embedder embedder;
  private final VectorIndex index;
  private final IndexSync sync;
  private final Tracer tracer;
  private final Ulid ulid;

  Hydrate(
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
    this.tracer = tracer;
    this.ulid = new Ulid(clock);
  }

  /** A parsed line waiting for its batch to be stored. */
  private record Pending(long line, SwapEntry entry, float[] vector) {}

  HydrateResult run(Path file, HydrateOptions options) {
    Tracer.Span span = tracer.start("swap", "hydrate");
    try {
      HydrateResult result = load(file, options);
      span.put("loaded", result.loaded())
          .put("skipped_dupes", result.skippedDupes())
          .put("skipped_bad", result.skippedBad())
          .end();
      return result;
    } catch (RuntimeException e) {
      span.error(e).end();
      throw e;
    }
  }

  private HydrateResult load(Path file, HydrateOptions options) {
    if (!Files.isRegularFile(file)) {
      throw new HotMemException.NotFound("no swap file at " + file);
    }
    long[] counts = new long[3]; // loaded, duplicates, bad
    try (InputStream raw = Files.newInputStream(file);
        CountingInputStream counted = new CountingInputStream(raw)) {
      long size = Files.size(file);
      InputStream in =
          file.getFileName().toString().endsWith(".gz")
              ? new GZIPInputStream(counted, 1 << 16)
              : new BufferedInputStream(counted, 1 << 16);
      SwapLineReader lines = new SwapLineReader(in, MAX_LINE_BYTES);
      List<Pending> batch = new ArrayList<>(BATCH);
      while (lines.next()) {
        Pending p;
        try {
          p = parse(lines);
        } catch (BadLineException e) {
          if (!options.skipBad()) {
            throw badLine(file, lines.lineNumber(), e.getMessage(), counts[0]);
          }
          counts[2]++;
          continue;
        }
        if (p == null) {
          continue;
        }
        batch.add(p);
        if (batch.size() == BATCH) {
          store(batch, counts);
          batch.clear();
          options.progress().update(counted.count(), size);
        }
      }
      store(batch, counts);
      options.progress().update(size, size);
    } catch (ZipException | EOFException e) {
      throw new HotMemException.InvalidRequest(
          "file", file.getFileName() + " is not a complete gzip file: " + e.getMessage());
    } catch (IOException e) {
      throw new HotMemException.StorageFailed("cannot read " + file + ": " + e, e);
    }
    return new HydrateResult(counts[0], counts[1], counts[2]);
  }

  private static HotMemException.InvalidRequest badLine(
      Path file, long line, String why, long loaded) {
    return new HotMemException.InvalidRequest(
        "file",
        file.getFileName()
            + " line "
            + line
            + " "
            + why
            + "; nothing of its batch was loaded"
            + (loaded > 0 ? " (" + loaded + " memories of earlier lines were)" : "")
            + "; fix the line or skip bad lines");
  }

  private Pending parse(SwapLineReader lines) throws BadLineException {
    if (lines.tooLong()) {
      throw new BadLineException("is longer than " + (MAX_LINE_BYTES >> 20) + " MiB");
    }
    SwapEntry e = SwapCodec.parse(lines.bytes(), lines.length());
    if (e == null) {
      return null;
    }
    String hash = Remember.contentHash(e.identifier(), e.content());
    if (e.contentHash() != null && !e.contentHash().equals(hash)) {
      throw new BadLineException(
          "field content_hash: does not match identifier and content (expected "
              + hash
              + ", found "
              + e.contentHash()
              + ")");
    }
    float[] vector = null;
    if (e.embedding() != null && embedder.id().equals(e.embeddingModel())) {
      if (e.embedding().length != embedder.dimension() * Float.BYTES) {
        throw new BadLineException(
            "field embedding: has "
                + e.embedding().length / Float.BYTES
                + " dimensions, model "
                + embedder.id()
                + " has "
                + embedder.dimension());
      }
      vector = VectorCodec.decode(e.embedding(), embedder.dimension());
      if (!VectorCodec.normalize(vector)) {
        throw new BadLineException("field embedding: holds a NaN or infinity");
      }
    }
    return new Pending(lines.lineNumber(), e, vector);
  }

  private void store(List<Pending> batch, long[] counts) {
    if (batch.isEmpty()) {
      return;
    }
    long now = clock.millis();
    List<String> ids = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      ids.add(p.entry().id() == null ? ulid.next() : p.entry().id());
    }
    float[][] vectors = vectorsFor(batch, ids, now);
    List<ImportRow> rows = new ArrayList<>(batch.size());
    List<Integer> rowOf = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      if (vectors[i] == null) {
        continue; // a duplicate found before embedding
      }
      SwapEntry e = batch.get(i).entry();
      long created = e.createdAt() == null ? now : e.createdAt();
      Long expires = e.expiresAt();
      if (expires == null && e.ttlMillis() != null) {
        expires = now + e.ttlMillis();
      }
      rows.add(
          new ImportRow(
              ids.get(i),
              e.namespace(),
              e.identifier(),
              e.content(),
              e.kind(),
              e.importance(),
              e.category(),
              e.scope(),
              e.source(),
              e.metadataJson(),
              Remember.contentHash(e.identifier(), e.content()),
              created,
              e.updatedAt() == null ? created : e.updatedAt(),
              e.lastAccessedAt(),
              e.accessCount(),
              expires,
              e.status(),
              e.supersededBy(),
              embedder.id(),
              VectorCodec.encode(vectors[i]),
              e.context()));
      rowOf.add(i);
    }
    Map<String, Long> inserted =
        rows.isEmpty()
            ? Map.of()
            : store.write(
                "hydrate",
                c -> {
                  sync.catchUp(c);
                  Map<String, Long> seqs = SwapQueries.insertImported(c, rows);
                  if (!seqs.isEmpty()) {
                    long first = Long.MAX_VALUE;
                    long last = Long.MIN_VALUE;
                    for (long seq : seqs.values()) {
                      first = Math.min(first, seq);
                      last = Math.max(last, seq);
                    }
                    MemoryRepository.indexForSearch(c, first, last);
                  }
                  return seqs;
                });
    long maxSeq = 0;
    List<VectorEntry> added = new ArrayList<>(rows.size());
    for (int k = 0; k < rows.size(); k++) {
      ImportRow r = rows.get(k);
      Long seq = inserted.get(r.id());
      if (seq != null && r.status() != MemoryStatus.FORGOTTEN) {
        added.add(
            new VectorEntry(seq, vectors[rowOf.get(k)], r.namespace(), r.identifier(), r.status()));
      }
      if (seq != null) {
        maxSeq = Math.max(maxSeq, seq);
      }
    }
    index.upsertAll(added);
    sync.advanceTo(maxSeq);
    counts[0] += inserted.size();
    counts[1] += batch.size() - inserted.size();
  }

  /**
   * The vector of each line: its own when it has one from this embedder, else a new embedding, in
   * batches. Lines that would be skipped as duplicates are not embedded (null).
   */
  private float[][] vectorsFor(List<Pending> batch, List<String> ids, long now) {
    float[][] out = new float[batch.size()][];
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      out[i] = batch.get(i).vector();
      if (out[i] == null) {
        missing.add(i);
      }
    }
    if (missing.isEmpty()) {
      return out;
    }
    Set<Integer> duplicates = duplicatesAmong(batch, ids, missing, now);
    List<Integer> toEmbed = new ArrayList<>(missing.size());
    for (int i : missing) {
      if (!duplicates.contains(i)) {
        toEmbed.add(i);
      }
    }
    List<String> contents = new ArrayList<>(toEmbed.size());
    List<String> contexts = new ArrayList<>(toEmbed.size());
    for (int i : toEmbed) {
      SwapEntry e = batch.get(i).entry();
      contents.add(e.content());
      contexts.add(e.context());
    }
    float[][] embedded =
        Embeddings.embedDocuments(embedder, contents, contexts, Remember.EMBED_BATCH, tracer);
    for (int k = 0; k < toEmbed.size(); k++) {
      out[toEmbed.get(k)] = embedded[k];
    }
    return out;
  }

  private Set<Integer> duplicatesAmong(
      List<Pending> batch, List<String> ids, List<Integer> candidates, long now) {
    List<String> candidateIds = new ArrayList<>(candidates.size());
    Map<String, List<String>> activeHashes = new HashMap<>();
    for (int i : candidates) {
      candidateIds.add(ids.get(i));
      SwapEntry e = batch.get(i).entry();
      if (e.status() == MemoryStatus.ACTIVE) {
        activeHashes
            .computeIfAbsent(e.namespace(), k -> new ArrayList<>())
            .add(Remember.contentHash(e.identifier(), e.content()));
      }
    }
    record Found(Set<String> ids, Map<String, Map<String, Row>> active) {}
    Found found =
        store.read(
            "find duplicates",
            c -> {
              Map<String, Map<String, Row>> active = new HashMap<>();
              for (Map.Entry<String, List<String>> e : activeHashes.entrySet()) {
                active.put(
                    e.getKey(),
                    MemoryRepository.findActiveByHashes(c, e.getKey(), e.getValue(), now));
              }
              return new Found(SwapQueries.existingIds(c, candidateIds), active);
            });
    Set<Integer> out = new HashSet<>();
    for (int i : candidates) {
      SwapEntry e = batch.get(i).entry();
      boolean sameId = found.ids().contains(ids.get(i));
      boolean sameActive =
          e.status() == MemoryStatus.ACTIVE
              && found
                  .active()
                  .get(e.namespace())
                  .containsKey(Remember.contentHash(e.identifier(), e.content()));
      if (sameId || sameActive) {
        out.add(i);
      }
    }
    return out;
  }
}
