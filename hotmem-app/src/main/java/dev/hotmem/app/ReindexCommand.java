package dev.hotmem.app;

import dev.hotmem.HotMem;
import dev.hotmem.ReindexOptions;
import dev.hotmem.ReindexResult;
import dev.hotmem.embed.Embedder;
import dev.hotmem.mount.Mount;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hotmem reindex}: converts a store to another embedder. */
@Command(
    name = "reindex",
    mixinStandardHelpOptions = true,
    description = {
      "Re-embed every memory of a store with another embedder and make it the store's embedder.",
      "The store keeps working with its old embedder until the end, when one transaction swaps the"
          + " vectors and the recorded embedder. An interrupted run leaves the store as it was;"
          + " running the same command again continues where it stopped.",
      "Stop servers using the store first: one that keeps it open gets an error on its next write."
    })
final class ReindexCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  StoreOptions store;

  @Mixin EmbedderOptions embedder;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "" + ReindexOptions.DEFAULT_BATCH_SIZE,
      description = "Memories per model call and per transaction (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin ProgressOptions progress;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (batchSize < 1 || batchSize > ReindexOptions.MAX_BATCH_SIZE) {
      throw new CliErrors.UsageError(
          "--batch-size must be between 1 and "
              + ReindexOptions.MAX_BATCH_SIZE
              + "; found "
              + batchSize);
    }
    if (!embedder.named()) {
      throw new CliErrors.UsageError(
          "reindex needs the embedder to convert to: --embedder SPEC (or "
              + EmbedderOptions.ENV_SPEC
              + ")");
    }
    Path location = (store.mount != null ? store.mount : store.db).toAbsolutePath().normalize();
    Path db = store.mount != null ? location.resolve(Mount.DATABASE_FILE) : location;
    Embedder target = embedder.create(db, EmbedderOptions.Default.HASH);
    ReindexResult result;
    try (ProgressDisplay bar = ProgressDisplay.memories(progress.when, "reindex")) {
      result =
          HotMem.reindex(
              db, target, ReindexOptions.defaults().withBatchSize(batchSize).withProgress(bar));
    }
    if (store.mount != null) {
      // Opening and closing the mount rewrites manifest.json and swap.jsonl from the store.
      Mount.open(location, b -> b.embedder(target)).close();
    }
    if (output.json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("path", location.toString());
      answer.put("changed", result.changed());
      answer.put("total", result.total());
      answer.put("reembedded", result.reembedded());
      answer.put("resumed", result.resumed());
      answer.put("previous_embedder", result.previousEmbedderId());
      answer.put("embedder", result.embedderId());
      answer.put("embedder_spec", result.embedderSpec());
      output.printJson(answer);
    } else if (!result.changed()) {
      output
          .out()
          .printf(
              "%s already uses %s (%d memories); nothing to do%n",
              location, result.embedderId(), result.total());
    } else {
      output
          .out()
          .printf(
              "reindexed %s: %d memories from %s to %s (%d embedded, %d kept from an interrupted"
                  + " run)%n",
              location,
              result.total(),
              result.previousEmbedderId(),
              result.embedderId(),
              result.reembedded(),
              result.resumed());
    }
    output.out().flush();
    return CliErrors.OK;
  }
}
