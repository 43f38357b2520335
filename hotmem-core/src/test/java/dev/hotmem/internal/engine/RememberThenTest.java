package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.ListQuery;
import dev.hotmem.NewMemory;
import dev.hotmem.RecallQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** A memory and the work done with it in {@link MemoryEngine#rememberThen} commit together. */
class RememberThenTest {
  @Test
  void theWorkSeesTheStoredRowAndItsResultComesBack() {
    try (HotMem mem = HotMem.open(HotMemConfig.ephemeral().build())) {
      MemoryEngine engine = EngineAccess.engine(mem);
      MemoryEngine.Stored<Long> first =
          engine.rememberThen(
              NewMemory.of("the deploy key rotates every Monday"),
              (c, changed, r) -> seqOf(c, r.memory().id()));
      assertThat(first.remembered().duplicate()).isFalse();
      assertThat(first.result()).isPositive();
      MemoryEngine.Stored<Boolean> again =
          engine.rememberThen(
              NewMemory.of("the deploy key rotates every Monday"),
              (c, changed, r) -> r.duplicate());
      assertThat(again.result()).isTrue();
      assertThat(again.remembered().memory().id()).isEqualTo(first.remembered().memory().id());
    }
  }

  @Test
  void aFailingWorkStoresNothing() {
    try (HotMem mem = HotMem.open(HotMemConfig.ephemeral().build())) {
      MemoryEngine engine = EngineAccess.engine(mem);
      mem.remember("an earlier memory about the deploy key");
      assertThatThrownBy(
              () ->
                  engine.rememberThen(
                      NewMemory.of("the deploy key rotates every Monday"),
                      (c, changed, r) -> {
                        throw new IllegalStateException("the fact layer failed");
                      }))
          .hasMessageContaining("the fact layer failed");
      assertThat(mem.list(ListQuery.of(dev.hotmem.MemoryFilter.defaults())).memories())
          .extracting(m -> m.content())
          .containsExactly("an earlier memory about the deploy key");
      // Neither the full-text index nor the vector index kept the rolled-back row.
      assertThat(mem.recall(RecallQuery.builder("rotates Monday").topK(5).build()).memories())
          .extracting(m -> m.content())
          .doesNotContain("the deploy key rotates every Monday");
      assertThat(mem.vectorIndex().entries()).isEqualTo(1);
    }
  }

  /** The row key of memory {@code id} (a cached statement: not closed here). */
  private static long seqOf(dev.hotmem.internal.store.SqliteStore.Conn c, String id)
      throws java.sql.SQLException {
    PreparedStatement ps = c.prepare("SELECT seq FROM memories WHERE id = ?");
    ps.setString(1, id);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
