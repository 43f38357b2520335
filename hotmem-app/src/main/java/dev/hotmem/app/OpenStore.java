package dev.hotmem.app;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.Tracing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A store a command opened: a plain SQLite file or a mount. Closing it closes what was opened the
 * way its owner must: a mount refreshes {@code swap.jsonl} and {@code manifest.json}, a file is
 * checkpointed.
 */
final class OpenStore implements AutoCloseable {
  static final String SWAP_FILE = "swap.jsonl";
  static final String DATABASE_FILE = "hotmem.sqlite";

  private final HotMem hotMem;
  private final AutoCloseable owner;
  private final Path location;
  private final Path fileRoot;
  private final Path defaultSwapFile;
  private final boolean mounted;

  private OpenStore(
      HotMem hotMem, AutoCloseable owner, Path location, Path fileRoot, boolean mounted) {
    this.hotMem = hotMem;
    this.owner = owner;
    this.location = location;
    this.fileRoot = fileRoot;
    this.defaultSwapFile = fileRoot.resolve(SWAP_FILE);
    this.mounted = mounted;
  }

  /** Opens (or, unless {@code mustExist}, creates) the store file {@code file}. */
  static OpenStore db(Path file, boolean mustExist, boolean trace) {
    Path db = file.toAbsolutePath().normalize();
    if (Files.isDirectory(db)) {
      throw new IllegalArgumentException(
          db + " is a directory; a directory of hotmem.sqlite + swap.jsonl is opened with --mount");
    }
    if (mustExist && !Files.exists(db)) {
      throw new IllegalStateException(
          "no HotMem store at " + db + " (add, hydrate and serve create one)");
    }
    HotMem hotMem = HotMem.open(config(db, trace));
    return new OpenStore(hotMem, hotMem, db, db.getParent(), false);
  }

  /** Opens (or, unless {@code mustExist}, creates) the mount directory {@code dir}. */
  static OpenStore mount(Path dir, boolean mustExist, boolean trace) {
    throw new CliErrors.UsageError("--mount needs the mount support from hotmem-core");
  }

  /** A fresh store in a new temporary directory, for {@code serve} without a store. */
  static OpenStore temporary(boolean trace) {
    Path dir;
    try {
      dir = Files.createTempDirectory("hotmem-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
    return db(dir.resolve(DATABASE_FILE), false, trace);
  }

  private static HotMemConfig config(Path db, boolean trace) {
    return HotMemConfig.builder(db).tracing(trace ? Tracing.STDERR : Tracing.OFF).build();
  }

  HotMem hotMem() {
    return hotMem;
  }

  /** The store file, or the mount directory. */
  Path location() {
    return location;
  }

  /** The store file itself. */
  Path databaseFile() {
    return hotMem.path();
  }

  /** The folder swap-file paths of the server resolve in: the mount, or the file's folder. */
  Path fileRoot() {
    return fileRoot;
  }

  /** The mount's swap.jsonl, or swap.jsonl next to the store file. */
  Path defaultSwapFile() {
    return defaultSwapFile;
  }

  boolean isMount() {
    return mounted;
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
