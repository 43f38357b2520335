package dev.hotmem.app;

import dev.hotmem.swap.HydrateOptions;
import dev.hotmem.swap.HydrateResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

/** {@code hotmem hydrate}: loads a swap file into a store. */
@Command(
    name = "hydrate",
    mixinStandardHelpOptions = true,
    description = {
      "Load a swap file (.jsonl, or .jsonl.gz) into a store, skipping memories it already holds.",
      "A malformed line stops the load with its line number, and nothing of the batch it is in is"
          + " stored; --skip-bad skips and counts such lines instead."
    })
final class HydrateCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  StoreOptions store;

  @Mixin EmbedderOptions embedder;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "The swap file (required with --db; default with --mount: its swap.jsonl).")
  Path file;

  @Option(names = "--skip-bad", description = "Skip malformed lines (and count them).")
  boolean skipBad;

  @Mixin ProgressOptions progress;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws NoSuchFileException {
    if (file == null && store.mount == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--file=FILE'");
    }
    Path source = file == null ? null : file.toAbsolutePath().normalize();
    if (source != null && !Files.isRegularFile(source)) {
      // Checked before the store is opened, so a typo does not leave an empty store behind.
      throw new NoSuchFileException(source.toString(), null, "no swap file there");
    }
    HydrateResult result;
    Path loaded;
    try (OpenStore opened = store.open(OpenStore.Access.CREATE, embedder)) {
      loaded = source == null ? opened.defaultSwapFile() : source;
      HydrateResult onOpen = opened.mount() == null ? null : opened.mount().hydratedOnOpen();
      if (onOpen != null && loaded.equals(opened.mount().swapFile())) {
        result = onOpen; // opening the new mount just loaded this very file
      } else {
        try (ProgressDisplay bar = ProgressDisplay.bytes(progress.when, "hydrate")) {
          HydrateOptions options = HydrateOptions.defaults().withSkipBad(skipBad).withProgress(bar);
          result = opened.hotMem().hydrate(loaded, options);
        }
      }
    }
    if (output.json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("loaded", result.loaded());
      answer.put("skipped_dupes", result.skippedDupes());
      answer.put("skipped_bad", result.skippedBad());
      answer.put("path", loaded.toString());
      output.printJson(answer);
    } else {
      output
          .out()
          .printf(
              "loaded %d memories from %s (%d duplicates skipped%s)%n",
              result.loaded(),
              loaded,
              result.skippedDupes(),
              skipBad ? ", " + result.skippedBad() + " bad lines skipped" : "");
      output.out().flush();
    }
    return CliErrors.OK;
  }
}
