package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotmem.HotMem;
import dev.hotmem.ListQuery;
import dev.hotmem.Memory;
import dev.hotmem.MemoryFilter;
import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes on one store at once: two {@code hotmem mcp} children and a {@code hotmem
 * serve} (written to over {@code /mcp}) write concurrently; every write lands, each process sees
 * the others' writes, and the file holds them all afterwards.
 */
class McpSharedStoreIT {
  static final int PER_WRITER = 25;

  @TempDir Path dir;

  @Test
  void twoStdioServersAndServeOnOneStoreLoseNothing() throws Exception {
    Path db = dir.resolve("shared.sqlite");
    List<String> written = new ArrayList<>();
    try (Binary.Child serve =
        Binary.start(
            dir,
            Binary.javaJar("serve", "--db", db.toString(), "--embedder", "hash", "--port", "0"),
            Map.of())) {
      String url = McpHttpIT.awaitServing(serve);
      List<McpSyncClient> clients =
          List.of(
              McpStdioIT.stdioClient(db, "--embedder", "hash"),
              McpStdioIT.stdioClient(db, "--embedder", "hash"),
              McpHttpIT.httpClient(url, null));
      ExecutorService pool = Executors.newFixedThreadPool(clients.size());
      try {
        clients.forEach(McpSyncClient::initialize);
        List<Future<List<String>>> writers = new ArrayList<>();
        for (int w = 0; w < clients.size(); w++) {
          McpSyncClient client = clients.get(w);
          String writer = "writer" + (char) ('a' + w);
          writers.add(
              pool.submit(
                  () -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < PER_WRITER; i++) {
                      String content = writer + " wrote note number " + i;
                      JsonNode r =
                          McpSessionContract.ok(
                              client, "remember", McpSessionContract.args("content", content));
                      assertThat(r.get("duplicate").asBoolean()).isFalse();
                      mine.add(content);
                    }
                    return mine;
                  }));
        }
        for (Future<List<String>> f : writers) {
          written.addAll(f.get(120, TimeUnit.SECONDS));
        }
        // Each process finds what another one wrote.
        for (int w = 0; w < clients.size(); w++) {
          String other = "writer" + (char) ('a' + (w + 1) % clients.size());
          JsonNode found =
              McpSessionContract.ok(
                  clients.get(w),
                  "recall",
                  McpSessionContract.args("query", other + " wrote note number 7", "k", 3));
          assertThat(found.toString()).contains(other + " wrote note number 7");
        }
      } finally {
        pool.shutdownNow();
        clients.forEach(McpSyncClient::close);
      }
      serve.process.destroy();
      assertThat(serve.await(Duration.ofSeconds(30)).exit()).isZero();
    }
    try (HotMem store = HotMem.open(db)) {
      Set<String> stored = new HashSet<>();
      for (Memory m :
          store.list(new ListQuery(MemoryFilter.defaults(), 1000, 0, null)).memories()) {
        stored.add(m.content());
      }
      assertThat(stored).containsExactlyInAnyOrderElementsOf(written);
      assertThat(written).hasSize(3 * PER_WRITER);
    }
  }
}
