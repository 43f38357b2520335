package dev.hotmem.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a scripting command goes: a store file ({@code --db}), a mount ({@code --mount}) or a
 * running server ({@code --url}); exactly one.
 */
final class TargetOptions {
  @Option(
      names = "--db",
      paramLabel = "FILE",
      required = true,
      description = "A HotMem SQLite file.")
  Path db;

  @Option(
      names = "--mount",
      paramLabel = "DIR",
      required = true,
      description = "A mount directory (hotmem.sqlite + swap.jsonl + manifest.json).")
  Path mount;

  @Option(
      names = "--url",
      paramLabel = "URL",
      required = true,
      description = "A running HotMem server, for example http://127.0.0.1:8711.")
  String url;

  StoreOptions store() {
    StoreOptions s = new StoreOptions();
    s.db = db;
    s.mount = mount;
    return s;
  }
}
