package dev.hotmem.app;

import dev.hotmem.swap.SnapshotOptions;
import dev.hotmem.swap.SnapshotResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hotmem snapshot}: writes every memory of a store to a swap file. */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = {
      "Write every memory of a store (every status, every field) to a swap file: .jsonl, or"
          + " gzip-compressed .jsonl.gz. Written to a temporary file, fsynced and renamed."
    })
final class SnapshotCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  StoreOptions store;

  @Mixin EmbedderOptions embedder;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description =
          "The swap file to write (required with --db; default with --mount: its" + " swap.jsonl).")
  Path file;

  @Option(
      names = "--embeddings",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Write each memory's vector too, so hydrating needs no embedding (default; --no-embeddings"
              + " leaves them out).")
  boolean embeddings;

  @Mixin ProgressOptions progress;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (file == null && store.mount == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--file=FILE'");
    }
    SnapshotResult result;
    try (OpenStore opened = store.open(OpenStore.Access.READ, embedder)) {
      Path target = file == null ? opened.defaultSwapFile() : file.toAbsolutePath().normalize();
      try (ProgressDisplay bar = ProgressDisplay.memories(progress.when, "snapshot")) {
        SnapshotOptions options =
            SnapshotOptions.defaults().withIncludeEmbeddings(embeddings).withProgress(bar);
        result = opened.hotMem().snapshot(target, options);
      }
    }
    if (output.json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("exported", result.exported());
      answer.put("path", result.path().toString());
      output.printJson(answer);
    } else {
      output.out().printf("wrote %d memories to %s%n", result.exported(), result.path());
      output.out().flush();
    }
    return CliErrors.OK;
  }
}
