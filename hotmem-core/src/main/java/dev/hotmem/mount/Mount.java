package dev.hotmem.mount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.HotMemException;
import dev.hotmem.HotMemJson;
import dev.hotmem.StoreInfo;
import dev.hotmem.internal.swap.AtomicFile;
import dev.hotmem.swap.HydrateOptions;
import dev.hotmem.swap.HydrateResult;
import dev.hotmem.swap.SnapshotOptions;
import dev.hotmem.swap.SnapshotResult;
import dev.hotmem.swap.SwapProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory that holds a store: {@value #DATABASE_FILE} (the truth), {@value #SWAP_FILE} (a
 * portable JSON Lines backup) and {@value #MANIFEST_FILE} (what the store is). Any directory can be
 * a mount; copying it elsewhere and opening it there gives the same store.
 *
 * <p>Opening a directory that has a {@value #SWAP_FILE} but no database creates the database and
 * loads the swap file into it. Closing refreshes the swap file and the manifest, each written to a
 * temporary file, fsynced and renamed, so a crash leaves the old or the new file, never a torn one.
 *
 * <p>Thread-safe as its {@link HotMem} is; {@link #close()} must not race with {@link #sync()}.
 */
public final class Mount implements AutoCloseable {
  public static final String DATABASE_FILE = "hotmem.sqlite";
  public static final String SWAP_FILE = "swap.jsonl";
  public static final String MANIFEST_FILE = "manifest.json";

  private static final Logger LOG = LoggerFactory.getLogger(Mount.class);
  private static final ObjectMapper JSON = HotMemJson.newMapper();

  private final Path dir;
  private final HotMem hotMem;
  private final HydrateResult hydratedOnOpen;
  private final Clock clock;
  private volatile Manifest manifest;
  private boolean closed;

  private Mount(Path dir, HotMem hotMem, HydrateResult hydratedOnOpen) {
    this.dir = dir;
    this.hotMem = hotMem;
    this.hydratedOnOpen = hydratedOnOpen;
    this.clock = hotMem.config().clock();
  }

  /** Opens (creating if needed) the mount at {@code dir} with the default configuration. */
  public static Mount open(Path dir) {
    return open(dir, b -> {});
  }

  /**
   * Opens (creating if needed) the mount at {@code dir}. The store's path is the mount's {@value
   * #DATABASE_FILE}; {@code configure} sets everything else.
   *
   * @throws HotMemException.InvalidRequest if {@code dir} exists and is not a directory
   * @throws HotMemException.IncompatibleStore if the manifest was written by a newer HotMem, or for
   *     any reason {@link HotMem#open(HotMemConfig)} gives
   * @throws HotMemException if loading {@value #SWAP_FILE} into a new database fails; no database
   *     is left behind, so the next open retries the load
   */
  public static Mount open(Path dir, Consumer<HotMemConfig.Builder> configure) {
    return open(dir, configure, SwapProgress.NONE);
  }

  /**
   * Opens (creating if needed) the mount at {@code dir}, reporting the progress of loading {@value
   * #SWAP_FILE} into a new database to {@code hydrateProgress} (for a progress bar).
   *
   * <p>The load goes into a temporary database that becomes {@value #DATABASE_FILE} only once
   * complete, so a process killed during the load leaves no half-filled store behind: the next open
   * loads the swap file again.
   *
   * @see #open(Path, Consumer)
   */
  public static Mount open(
      Path dir, Consumer<HotMemConfig.Builder> configure, SwapProgress hydrateProgress) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(configure, "configure");
    Objects.requireNonNull(hydrateProgress, "hydrateProgress");
    Path root = dir.toAbsolutePath().normalize();
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new HotMemException.InvalidRequest("mount", root + " exists and is not a directory");
    }
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new HotMemException.StorageFailed("cannot create the mount " + root + ": " + e, e);
    }
    checkManifestVersion(root.resolve(MANIFEST_FILE));
    Path db = root.resolve(DATABASE_FILE);
    Path swap = root.resolve(SWAP_FILE);
    HydrateResult hydrated = null;
    if (!Files.exists(db) && Files.isRegularFile(swap)) {
      hydrated = hydrateInto(db, swap, configure, hydrateProgress);
      LOG.info(
          "mount {}: loaded {} memories from {} ({} duplicates skipped)",
          root,
          hydrated.loaded(),
          SWAP_FILE,
          hydrated.skippedDupes());
    }
    HotMemConfig.Builder builder = HotMemConfig.builder(db);
    configure.accept(builder);
    HotMem hotMem = HotMem.open(builder.build());
    try {
      Mount mount = new Mount(root, hotMem, hydrated);
      mount.writeManifest();
      return mount;
    } catch (RuntimeException e) {
      hotMem.close();
      throw e;
    }
  }

  /** Loads {@code swap} into a temporary database, then renames it to {@code db}. */
  private static HydrateResult hydrateInto(
      Path db, Path swap, Consumer<HotMemConfig.Builder> configure, SwapProgress progress) {
    Path temp = db.resolveSibling(db.getFileName() + ".hydrating");
    deleteDatabase(temp); // left over from a load that was killed
    HotMemConfig.Builder builder = HotMemConfig.builder(temp);
    configure.accept(builder);
    HydrateResult result;
    try (HotMem loading = HotMem.open(builder.build())) {
      result = loading.hydrate(swap, HydrateOptions.defaults().withProgress(progress));
    } catch (RuntimeException e) {
      deleteDatabase(temp);
      throw e;
    }
    // Closing the last connection checkpointed the WAL into the file and removed it.
    Path wal = temp.resolveSibling(temp.getFileName() + "-wal");
    try {
      if (Files.exists(wal) && Files.size(wal) > 0) {
        throw new HotMemException.StorageFailed(
            "the loaded store " + temp + " still has a write-ahead log; not renaming it", null);
      }
      Files.deleteIfExists(wal);
      Files.deleteIfExists(temp.resolveSibling(temp.getFileName() + "-shm"));
      Files.move(temp, db, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new HotMemException.StorageFailed("cannot rename " + temp + " to " + db + ": " + e, e);
    }
    return result;
  }

  /** The mount directory (absolute). */
  public Path dir() {
    return dir;
  }

  /** The store. Owned by the mount: close the mount, not the store. */
  public HotMem hotMem() {
    return hotMem;
  }

  /** The mount's swap file, {@value #SWAP_FILE}. */
  public Path swapFile() {
    return dir.resolve(SWAP_FILE);
  }

  /** The manifest as last written. */
  public Manifest manifest() {
    return manifest;
  }

  /** What opening loaded from {@value #SWAP_FILE} into a new database, or null if nothing was. */
  public HydrateResult hydratedOnOpen() {
    return hydratedOnOpen;
  }

  /** Refreshes {@value #SWAP_FILE} and {@value #MANIFEST_FILE} from the store now. */
  public SnapshotResult sync() {
    SnapshotResult result = hotMem.snapshot(swapFile(), SnapshotOptions.defaults());
    writeManifest();
    return result;
  }

  /**
   * Refreshes {@value #SWAP_FILE} and {@value #MANIFEST_FILE}, then closes the store (which
   * checkpoints it). Idempotent. The store is closed even if the refresh fails; the failure is then
   * thrown.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      sync();
    } finally {
      hotMem.close();
    }
  }

  private void writeManifest() {
    StoreInfo info = hotMem.info();
    Manifest m =
        new Manifest(
            Manifest.FORMAT_VERSION,
            info.storeId(),
            info.createdAt(),
            Instant.ofEpochMilli(clock.millis()),
            info.schemaVersion(),
            info.embedderId(),
            info.embedderDimension(),
            info.embedderSpec(),
            info.memoryCount());
    ObjectNode node = JSON.createObjectNode().put("format", Manifest.FORMAT);
    node.setAll((ObjectNode) JSON.valueToTree(m));
    Path file = dir.resolve(MANIFEST_FILE);
    try {
      AtomicFile.write(
          file,
          out -> {
            JSON.writerWithDefaultPrettyPrinter().writeValue(out, node);
            out.write('\n');
            return null;
          });
    } catch (IOException e) {
      throw new HotMemException.StorageFailed("cannot write " + file + ": " + e, e);
    }
    this.manifest = m;
  }

  /**
   * Refuses a manifest written by a newer HotMem. A damaged manifest is not fatal: the database is
   * the truth, and the manifest is rewritten from it.
   */
  private static void checkManifestVersion(Path file) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    JsonNode node;
    try {
      node = JSON.readTree(file.toFile());
    } catch (IOException e) {
      LOG.warn("{} is not readable JSON ({}); it will be rewritten", file, e.getMessage());
      return;
    }
    JsonNode version = node == null ? null : node.get("format_version");
    if (version == null || !version.canConvertToInt() || !Manifest.FORMAT.equals(text(node))) {
      LOG.warn("{} is not a HotMem manifest; it will be rewritten", file);
      return;
    }
    if (version.intValue() > Manifest.FORMAT_VERSION) {
      throw new HotMemException.IncompatibleStore(
          file
              + " has format version "
              + version.intValue()
              + ", written by a newer HotMem; this one reads up to version "
              + Manifest.FORMAT_VERSION);
    }
  }

  private static String text(JsonNode node) {
    JsonNode format = node.get("format");
    return format == null ? null : format.asText();
  }

  private static void deleteDatabase(Path db) {
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      try {
        Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
      } catch (IOException e) {
        LOG.warn("could not remove {}{}: {}", db, suffix, e.getMessage());
      }
    }
  }
}
