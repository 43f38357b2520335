package dev.hotmem.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which store a command works on: {@code --db FILE} or {@code --mount DIR} (exactly one). */
final class StoreOptions {
  @Option(
      names = "--db",
      paramLabel = "FILE",
      required = true,
      description = "A HotMem SQLite file (created by commands that write, if missing).")
  Path db;

  @Option(
      names = "--mount",
      paramLabel = "DIR",
      required = true,
      description =
          "A mount directory: hotmem.sqlite + swap.jsonl + manifest.json (created by commands that"
              + " write, if missing).")
  Path mount;

  OpenStore open(OpenStore.Access access) {
    return open(access, false);
  }

  OpenStore open(OpenStore.Access access, boolean trace) {
    return mount != null ? OpenStore.mount(mount, access, trace) : OpenStore.db(db, access, trace);
  }
}
