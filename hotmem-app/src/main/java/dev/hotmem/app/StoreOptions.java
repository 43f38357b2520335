package dev.hotmem.app;

import dev.hotmem.embed.Embedder;
import java.nio.file.Path;
import java.util.function.Function;
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

  /** Opens the store with the embedder {@code embedder} resolves, hash by default. */
  OpenStore open(OpenStore.Access access, EmbedderOptions embedder) {
    return open(access, false, embedder, EmbedderOptions.Default.HASH);
  }

  OpenStore open(
      OpenStore.Access access,
      boolean trace,
      EmbedderOptions embedder,
      EmbedderOptions.Default fallback) {
    Function<Path, Embedder> embedders = file -> embedder.create(file, fallback);
    return mount != null
        ? OpenStore.mount(mount, access, trace, embedders)
        : OpenStore.db(db, access, trace, embedders);
  }
}
