package dev.hotmem.app;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.Tracing;
import dev.hotmem.embed.Embedder;
import dev.hotmem.mount.Mount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A store a command opened: a plain SQLite file or a mount. Closing it closes what was opened the
 * way its owner must: a mount opened for writing refreshes {@code swap.jsonl} and {@code
 * manifest.json}; a file is checkpointed.
 */
final class OpenStore implements AutoCloseable {

  /** What a command does with the store. */
  enum Access {
    /**
     * Reads: the store must exist. A mount that already has its database is opened as a plain file,
     * so a read does not rewrite its swap file (a mount with only {@code swap.jsonl} is opened as a
     * mount, which loads it).
     */
    READ,
    /** Changes an existing store: a mount refreshes its files on close. */
    UPDATE,
    /** Writes, creating the store if it is missing; a mount refreshes its files on close. */
    CREATE
  }

  private final HotMem hotMem;
  private final AutoCloseable owner;
  private final Mount mount;
  private final Path location;
  private final Path fileRoot;
  private final Path defaultSwapFile;
  private final boolean isMount;

  private OpenStore(
      HotMem hotMem,
      AutoCloseable owner,
      Mount mount,
      Path location,
      Path fileRoot,
      boolean isMount) {
    this.hotMem = hotMem;
    this.owner = owner;
    this.mount = mount;
    this.location = location;
    this.fileRoot = fileRoot;
    this.defaultSwapFile = fileRoot.resolve(Mount.SWAP_FILE);
    this.isMount = isMount;
  }

  /**
   * Opens the store file {@code file} with the embedder {@code embedders} gives for it (it is asked
   * before the store is opened, so it can read the spec the store records).
   */
  static OpenStore db(Path file, Access access, boolean trace, Function<Path, Embedder> embedders) {
    Path db = file.toAbsolutePath().normalize();
    if (Files.isDirectory(db)) {
      throw new IllegalArgumentException(
          db
              + " is a directory; a mount directory (hotmem.sqlite, swap.jsonl) is opened with --mount");
    }
    if (access != Access.CREATE && !Files.exists(db)) {
      throw new IllegalStateException(
          "no HotMem store at " + db + " (add, hydrate and serve create one)");
    }
    HotMem hotMem = HotMem.open(config(db, trace, embedders.apply(db)));
    return new OpenStore(hotMem, hotMem, null, db, db.getParent(), false);
  }

  /** Opens the mount directory {@code dir}; see {@link #db} for {@code embedders}. */
  static OpenStore mount(
      Path dir, Access access, boolean trace, Function<Path, Embedder> embedders) {
    Path root = dir.toAbsolutePath().normalize();
    Path db = root.resolve(Mount.DATABASE_FILE);
    if (access == Access.READ && Files.isRegularFile(db)) {
      HotMem hotMem = HotMem.open(config(db, trace, embedders.apply(db)));
      return new OpenStore(hotMem, hotMem, null, root, root, true);
    }
    if (access != Access.CREATE) {
      if (!Files.isRegularFile(db) && !Files.isRegularFile(root.resolve(Mount.SWAP_FILE))) {
        throw new IllegalStateException(
            "no HotMem mount at "
                + root
                + " (neither "
                + Mount.DATABASE_FILE
                + " nor "
                + Mount.SWAP_FILE
                + " is there)");
      }
    }
    Embedder embedder = embedders.apply(db);
    Mount mount;
    // A mount that holds only swap.jsonl is loaded on open: show it on a terminal.
    try (ProgressDisplay bar =
        ProgressDisplay.bytes(ProgressDisplay.When.AUTO, "loading " + Mount.SWAP_FILE)) {
      mount =
          Mount.open(
              root, b -> b.tracing(trace ? Tracing.STDERR : Tracing.OFF).embedder(embedder), bar);
    }
    return new OpenStore(mount.hotMem(), mount, mount, root, root, true);
  }

  /** A fresh store in a new temporary directory, for {@code serve} without a store. */
  static OpenStore temporary(boolean trace, Function<Path, Embedder> embedders) {
    Path dir;
    try {
      dir = Files.createTempDirectory("hotmem-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
    return db(dir.resolve(Mount.DATABASE_FILE), Access.CREATE, trace, embedders);
  }

  private static HotMemConfig config(Path db, boolean trace, Embedder embedder) {
    return HotMemConfig.builder(db)
        .tracing(trace ? Tracing.STDERR : Tracing.OFF)
        .embedder(embedder)
        .build();
  }

  HotMem hotMem() {
    return hotMem;
  }

  /**
   * Starts loading the store's embedder (a local model: about half a second) on a daemon thread,
   * for servers: it loads while they wait for their first request instead of during it. A failure
   * is left to the first embedding, which reports it as {@code embedding_failed}.
   */
  void warmUpEmbedder() {
    Embedder embedder = hotMem.config().embedder();
    Thread warmUp =
        new Thread(
            () -> {
              try {
                embedder.warmUp();
              } catch (RuntimeException e) {
                // Reported by the first embedding, with the request that needed it.
              }
            },
            "hotmem-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  /** The mount, when the store was opened as one (for writing, or to load its swap file). */
  Mount mount() {
    return mount;
  }

  /** The store file, or the mount directory. */
  Path location() {
    return location;
  }

  /** The store file itself. */
  Path databaseFile() {
    return hotMem.path();
  }

  /** The folder the server resolves swap-file paths in: the mount, or the file's folder. */
  Path fileRoot() {
    return fileRoot;
  }

  /** The mount's swap.jsonl, or swap.jsonl next to the store file. */
  Path defaultSwapFile() {
    return defaultSwapFile;
  }

  /** True for a mount directory (whether or not it was opened through {@link Mount}). */
  boolean isMount() {
    return isMount;
  }

  @Override
  public void close() {
    try {
      owner.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing " + location + " failed: " + e.getMessage(), e);
    }
  }
}
