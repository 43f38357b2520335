package dev.hotmem.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotmem.StoreInfo;
import dev.hotmem.VectorIndexStatus;
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
    if (health.vectorIndex() != null) {
      Health.VectorIndex index = health.vectorIndex();
      status.put(
          "vector_index",
          vectorIndex(index.kind(), index.entries(), index.building(), index.searchBeam()));
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
    VectorIndexStatus index = store.hotMem().vectorIndex();
    status.put(
        "vector_index",
        vectorIndex(
            index.kind().wireName(), index.entries(), index.building(), index.searchBeam()));
    status.put("manifest", store.isMount() ? manifest(store.location()) : null);
    status.put("version", VersionProvider.version());
    return status;
  }

  /** The vector index as the status prints it: the same keys as the health answer's. */
  private static Map<String, Object> vectorIndex(
      String kind, long entries, boolean building, int searchBeam) {
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("kind", kind);
    index.put("entries", entries);
    index.put("building", building);
    index.put("search_beam", searchBeam);
    return index;
  }

  /** For example "graph, 120000 entries, search beam 135" or "exact, 900 entries". */
  private static String describeIndex(Map<?, ?> index) {
    StringBuilder out =
        new StringBuilder().append(index.get("kind")).append(", ").append(index.get("entries"));
    out.append(" entries");
    if (Boolean.TRUE.equals(index.get("building"))) {
      out.append(", building a graph in the background");
    }
    if (index.get("search_beam") instanceof Integer beam && beam > 0) {
      out.append(", search beam ").append(beam);
    }
    return out.toString();
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
          } else if (v instanceof Map<?, ?> index) {
            out.printf("%-20s %s%n", k + ":", describeIndex(index));
          } else if (v != null) {
            out.printf("%-20s %s%n", k + ":", v);
          }
        });
    out.flush();
  }
}
