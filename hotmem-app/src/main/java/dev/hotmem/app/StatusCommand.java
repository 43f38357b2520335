package dev.hotmem.app;

import dev.hotmem.HotMem;
import dev.hotmem.embed.Embedder;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hotmem status}: what a store (file or mount) or a running server holds. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show a store's state: memory count, path, schema, embedder and (for a mount) its manifest;"
          + " or ask a running server (--url) for its health.",
      "With no option, asks the server on http://127.0.0.1:8711."
    })
final class StatusCommand implements Callable<Integer> {
  static final String DEFAULT_URL = "http://127.0.0.1:8711";

  @ArgGroup(multiplicity = "0..1")
  TargetOptions target;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    if (target == null || target.url != null) {
      throw new CliErrors.UsageError("status --url needs hotmem-client");
    }
    Map<String, Object> status;
    try (OpenStore store = target.store().open(true)) {
      status = localStatus(store);
    }
    if (output.json) {
      output.printJson(status);
    } else {
      print(output.out(), status);
    }
    return CliErrors.OK;
  }

  private static Map<String, Object> localStatus(OpenStore store) {
    HotMem hotMem = store.hotMem();
    Embedder embedder = hotMem.config().embedder();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("status", "ok");
    status.put("memory_count", hotMem.count());
    status.put("db_path", store.databaseFile().toString());
    status.put("mount", store.isMount() ? store.location().toString() : null);
    status.put("embedder", embedder.id());
    status.put("embedder_dimension", embedder.dimension());
    status.put("version", VersionProvider.version());
    return status;
  }

  private static void print(PrintWriter out, Map<String, Object> status) {
    status.forEach(
        (k, v) -> {
          if (v != null && !(v instanceof Map)) {
            out.printf("%-20s %s%n", k + ":", v);
          }
        });
    out.flush();
  }
}
