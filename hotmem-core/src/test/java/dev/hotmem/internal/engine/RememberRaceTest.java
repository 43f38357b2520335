package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.MemoryStatus;
import dev.hotmem.NewMemory;
import dev.hotmem.RecallQuery;
import dev.hotmem.Remembered;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A duplicate found before the write transaction and forgotten before it begins (by another
 * process, here a second store handle on the same file) is not answered as the duplicate: the write
 * looks again and stores the new copy.
 */
class RememberRaceTest {
  @TempDir Path dir;

  private HotMemConfig config() {
    return HotMemConfig.builder(dir.resolve("race.sqlite")).build();
  }

  @Test
  void aDuplicateForgottenBeforeTheTransactionIsStoredAgain() {
    try (HotMem mem = HotMem.open(config());
        HotMem other = HotMem.open(config())) {
      String first = mem.remember("the staging database lives on db-3").memory().id();
      EngineAccess.engine(mem).afterDuplicateLookup(() -> other.forget(first));

      Remembered again = mem.remember("the staging database lives on db-3");

      assertThat(again.duplicate()).isFalse();
      assertThat(again.memory().id()).isNotEqualTo(first);
      assertThat(mem.get(again.memory().id()).status()).isEqualTo(MemoryStatus.ACTIVE);
      assertThat(mem.recall(RecallQuery.builder("staging database").topK(5).build()).memories())
          .extracting(m -> m.memoryId())
          .containsExactly(again.memory().id());
    }
  }

  @Test
  void aBatchWithAVanishedDuplicateStartsOverAndStoresIt() {
    try (HotMem mem = HotMem.open(config());
        HotMem other = HotMem.open(config())) {
      String kept = mem.remember("the cache is redis 7").memory().id();
      String gone = mem.remember("the queue is rabbitmq").memory().id();
      EngineAccess.engine(mem).afterDuplicateLookup(() -> other.forget(gone));

      List<Remembered> out =
          mem.rememberAll(
              List.of(
                  NewMemory.of("the cache is redis 7"),
                  NewMemory.of("the queue is rabbitmq"),
                  NewMemory.of("the proxy is envoy")));

      assertThat(out.get(0).duplicate()).isTrue();
      assertThat(out.get(0).memory().id()).isEqualTo(kept);
      assertThat(out.get(1).duplicate()).isFalse();
      assertThat(out.get(1).memory().id()).isNotEqualTo(gone);
      assertThat(out.get(2).duplicate()).isFalse();
      // Kept and two new: the other handle's forget reached this index through the log of row
      // changes when the batch caught up.
      assertThat(mem.vectorIndex().entries()).isEqualTo(3);
      assertThat(mem.recall(RecallQuery.builder("queue rabbitmq").topK(5).build()).memories())
          .extracting(m -> m.memoryId())
          .contains(out.get(1).memory().id())
          .doesNotContain(gone);
    }
  }

  @Test
  void aDuplicateReplacedByAnotherCopyInBetweenIsAnsweredWithThatCopy() {
    try (HotMem mem = HotMem.open(config());
        HotMem other = HotMem.open(config())) {
      String first = mem.remember("the deploy window is Tuesday").memory().id();
      String[] second = new String[1];
      EngineAccess.engine(mem)
          .afterDuplicateLookup(
              () -> {
                other.forget(first);
                second[0] = other.remember("the deploy window is Tuesday").memory().id();
              });

      Remembered again = mem.remember("the deploy window is Tuesday");

      assertThat(again.duplicate()).isTrue();
      assertThat(again.memory().id()).isEqualTo(second[0]).isNotEqualTo(first);
    }
  }
}
