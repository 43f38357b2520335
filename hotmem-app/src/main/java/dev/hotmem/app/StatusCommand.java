package dev.hotmem.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotmem.StoreInfo;
import dev.hotmem.client.Health;
import dev.hotmem.client.HotMemClient;
import dev.hotmem.mount.Mount;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
      "With no --db, --mount or --url it asks the server on " + HotMemClient.DEFAULT_URL + "."
    })
final class StatusCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "0..1")
  TargetOptions target;

  @Mixin EmbedderOptions embedder;

  @Mixin RemoteOptions remote;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    Map<String, Object> status;
    if (target == null || target.url != null) {
      embedder.refuseRemote();
      String url = target == null ? HotMemClient.DEFAULT_URL : target.url;
      status = remoteStatus(url);
    } else {
      try (OpenStore store = target.store().open(OpenStore.Access.READ, embedder)) {
        status = localStatus(store);
      }
    }
    if (output.json) {
      output.printJson(status);
    } else {
      print(output.out(), status);
    }
    return CliErrors.OK;
  }

  private Map<String, Object> remoteStatus(String url) {
    Health health;
    try (HotMemClient client = remote.client(url)) {
      health = client.health();
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("status", health.status());
    status.put("url", url);
    status.put("memory_count", health.memoryCount());
    status.put("db_path", health.dbPath());
    status.put("uptime_s", health.uptimeS());
    if (health.embedder() != null) {
      // The same keys as a local status.
      status.put("embedder", health.embedder().id());
      status.put("embedder_dimension", health.embedder().dimension());
      status.put("embedder_spec", health.embedder().spec());
    }
    status.put("version", health.version());
    return status;
  }

  private static Map<String, Object> localStatus(OpenStore store) {
    StoreInfo info = store.hotMem().info();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("status", "ok");
    status.put("memory_count", info.memoryCount());
    status.put("total_count", info.totalCount());
    status.put("db_path", info.path().toString());
    status.put("mount", store.isMount() ? store.location().toString() : null);
    status.put("store_id", info.storeId());
    status.put("created_at", info.createdAt());
    status.put("schema_version", info.schemaVersion());
    status.put("embedder", info.embedderId());
    status.put("embedder_dimension", info.embedderDimension());
    status.put("embedder_spec", info.embedderSpec());
    status.put("manifest", store.isMount() ? manifest(store.location()) : null);
    status.put("version", VersionProvider.version());
    return status;
  }

  /** The mount's manifest.json as it is on disk (null when absent or unreadable). */
  private static JsonNode manifest(Path mount) {
    Path file = mount.resolve(Mount.MANIFEST_FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return WireFormat.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      return null;
    }
  }

  private static void print(PrintWriter out, Map<String, Object> status) {
    status.forEach(
        (k, v) -> {
          if (v instanceof JsonNode manifest) {
            out.printf("%-20s %s%n", k + ":", WireFormat.json(manifest));
          } else if (v != null) {
            out.printf("%-20s %s%n", k + ":", v);
          }
        });
    out.flush();
  }
}
