package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.HashEmbedder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the servers do with an opened store before their first request. */
class OpenStoreTest {
  @TempDir Path dir;

  @Test
  void warmingUpLoadsTheEmbedderOnADaemonThreadAndSurvivesItsFailure() throws Exception {
    CompletableFuture<Thread> warmedOn = new CompletableFuture<>();
    Embedder failing =
        new Embedder() {
          private final HashEmbedder hash = new HashEmbedder();

          @Override
          public String id() {
            return hash.id();
          }

          @Override
          public int dimension() {
            return hash.dimension();
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            return hash.embed(texts);
          }

          @Override
          public void warmUp() {
            warmedOn.complete(Thread.currentThread());
            throw new IllegalStateException("no model here");
          }
        };
    try (OpenStore opened =
        OpenStore.db(dir.resolve("w.sqlite"), OpenStore.Access.CREATE, false, db -> failing)) {
      opened.warmUpEmbedder();

      Thread thread = warmedOn.get(10, TimeUnit.SECONDS);
      assertThat(thread.getName()).isEqualTo("hotmem-warm-up");
      assertThat(thread.isDaemon()).isTrue();
      thread.join(10_000);
      // The store still serves: the failure is left to the first embedding.
      assertThat(opened.hotMem().remember("still works").duplicate()).isFalse();
    }
  }
}
