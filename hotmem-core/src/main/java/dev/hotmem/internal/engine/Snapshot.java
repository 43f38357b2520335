package dev.hotmem.internal.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.hotmem.HotMemException;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.store.SwapQueries;
import dev.hotmem.internal.swap.AtomicFile;
import dev.hotmem.internal.swap.SwapCodec;
import dev.hotmem.internal.trace.Tracer;
import dev.hotmem.swap.SnapshotOptions;
import dev.hotmem.swap.SnapshotResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes every memory, in every status, oldest first, to a swap file: streamed from one read
 * statement (a consistent view while writers go on), into a temporary file that replaces the target
 * only once complete and fsynced.
 */
final class Snapshot {
  /** Memories between progress reports. */
  private static final int REPORT_EVERY = 1_000;

  private final SqliteStore store;
  private final Tracer tracer;

  Snapshot(SqliteStore store, Tracer tracer) {
    this.store = store;
    this.tracer = tracer;
  }

  SnapshotResult run(Path file, SnapshotOptions options) {
    Tracer.Span span = tracer.start("swap", "snapshot");
    Path target = file.toAbsolutePath().normalize();
    try {
      long exported = AtomicFile.write(target, out -> write(out, target, options));
      span.put("exported", exported).end();
      return new SnapshotResult(exported, target);
    } catch (IOException e) {
      HotMemException failure =
          new HotMemException.StorageFailed("cannot write " + target + ": " + e, e);
      span.error(failure).end();
      throw failure;
    } catch (RuntimeException e) {
      span.error(e).end();
      throw e;
    }
  }

  private long write(OutputStream raw, Path target, SnapshotOptions options) throws IOException {
    boolean gzip = target.getFileName().toString().endsWith(".gz");
    try (OutputStream out =
            gzip ? new GZIPOutputStream(raw, 1 << 16) : new BufferedOutputStream(raw, 1 << 16);
        JsonGenerator g = SwapCodec.generator(out)) {
      long[] written = {0};
      try {
        store.read(
            "snapshot",
            c -> {
              long total = SwapQueries.countAll(c);
              options.progress().update(0, total);
              SwapQueries.forEachMemory(
                  c,
                  options.includeEmbeddings(),
                  (m, model, vector) -> {
                    try {
                      SwapCodec.write(g, m, model, vector);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                    if (++written[0] % REPORT_EVERY == 0) {
                      options.progress().update(written[0], total);
                    }
                  });
              options.progress().update(written[0], Math.max(total, written[0]));
              return null;
            });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      g.flush();
      return written[0];
    }
  }
}
