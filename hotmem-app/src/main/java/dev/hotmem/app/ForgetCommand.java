package dev.hotmem.app;

import dev.hotmem.client.HotMemClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hotmem forget}: soft-deletes memories, or erases them with {@code --purge}. */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    description = {
      "Forget memories by id: they become invisible everywhere but stay in the file until purged.",
      "With --purge they are erased for real (any state)."
    })
final class ForgetCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  TargetOptions target;

  @Mixin EmbedderOptions embedder;

  @Parameters(paramLabel = "MEMORY_ID", arity = "1..*", description = "The ids (memory_id).")
  List<String> ids;

  @Option(names = "--purge", description = "Erase the memories instead of forgetting them.")
  boolean purge;

  @Mixin RemoteOptions remote;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    List<String> done = new ArrayList<>();
    if (target.url != null) {
      embedder.refuseRemote();
      try (HotMemClient client = remote.client(target.url)) {
        for (String id : ids) {
          if (purge) {
            client.purge(id);
          } else {
            client.forget(id);
          }
          done.add(id);
        }
      }
    } else {
      try (OpenStore store = target.store().open(OpenStore.Access.UPDATE, embedder)) {
        for (String id : ids) {
          if (purge) {
            store.hotMem().purge(id);
          } else {
            store.hotMem().forget(id);
          }
          done.add(id);
        }
      }
    }
    if (output.json) {
      // The DELETE /v1/memory/{id} answer, one line per id.
      for (String id : done) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("memory_id", id);
        answer.put("status", purge ? "purged" : "forgotten");
        output.printJson(answer);
      }
    } else {
      done.forEach(id -> output.out().println((purge ? "purged " : "forgot ") + id));
      output.out().flush();
    }
    return CliErrors.OK;
  }
}
