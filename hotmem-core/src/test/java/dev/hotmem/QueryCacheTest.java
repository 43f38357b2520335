package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.HashEmbedder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Recall embeds its query through a bounded cache: a repeated query costs no model call. */
class QueryCacheTest {

  /** The hash embedder, counting how often each text reaches it; can be told to fail once. */
  private static final class CountingEmbedder implements Embedder {
    private final HashEmbedder real = new HashEmbedder();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final AtomicBoolean failNext = new AtomicBoolean();

    @Override
    public String id() {
      return real.id();
    }

    @Override
    public int dimension() {
      return real.dimension();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      texts.forEach(t -> calls.computeIfAbsent(t, k -> new AtomicInteger()).incrementAndGet());
      if (failNext.getAndSet(false)) {
        throw new IllegalStateException("model crashed");
      }
      return real.embed(texts);
    }

    int callsFor(String text) {
      AtomicInteger n = calls.get(text);
      return n == null ? 0 : n.get();
    }
  }

  private static HotMem open(CountingEmbedder embedder, int cacheSize) {
    HotMem mem =
        HotMem.open(HotMemConfig.ephemeral().embedder(embedder).queryCacheSize(cacheSize).build());
    mem.rememberAll(
        List.of(
            NewMemory.of("Caroline moved from Sweden four years ago"),
            NewMemory.of("Melanie painted a lake at sunrise"),
            NewMemory.of("Joanna adopted a dog from the shelter")));
    return mem;
  }

  @Test
  void aRepeatedQueryCostsNoModelCall() {
    CountingEmbedder embedder = new CountingEmbedder();
    try (HotMem mem = open(embedder, 100)) {
      RecallResult first = mem.recall("where did Caroline move from");
      RecallResult second = mem.recall("where did Caroline move from");
      mem.recall("what did Melanie paint");

      assertThat(embedder.callsFor("where did Caroline move from")).isEqualTo(1);
      assertThat(embedder.callsFor("what did Melanie paint")).isEqualTo(1);
      assertThat(second.memories().stream().map(MemoryMessage::content).toList())
          .isEqualTo(first.memories().stream().map(MemoryMessage::content).toList());
    }
  }

  @Test
  void sizeZeroTurnsTheCacheOff() {
    CountingEmbedder embedder = new CountingEmbedder();
    try (HotMem mem = open(embedder, 0)) {
      mem.recall("where did Caroline move from");
      mem.recall("where did Caroline move from");
      assertThat(embedder.callsFor("where did Caroline move from")).isEqualTo(2);
    }
  }

  @Test
  void theCacheIsBounded() {
    CountingEmbedder embedder = new CountingEmbedder();
    try (HotMem mem = open(embedder, 2)) {
      for (int i = 0; i < 50; i++) {
        mem.recall("query number " + i);
      }
      mem.recall("query number 0"); // evicted long ago
      assertThat(embedder.callsFor("query number 0")).isEqualTo(2);
    }
  }

  @Test
  void aFailedEmbeddingIsNotCached() {
    CountingEmbedder embedder = new CountingEmbedder();
    try (HotMem mem = open(embedder, 100)) {
      embedder.failNext.set(true);
      assertThatThrownBy(() -> mem.recall("where did Caroline move from"))
          .isInstanceOf(HotMemException.EmbeddingFailed.class)
          .hasMessageContaining("model crashed");
      assertThat(mem.recall("where did Caroline move from").memories()).isNotEmpty();
      mem.recall("where did Caroline move from");
      assertThat(embedder.callsFor("where did Caroline move from")).isEqualTo(2);
    }
  }

  @Test
  void veryLongQueriesAreNotKept() {
    CountingEmbedder embedder = new CountingEmbedder();
    String longQuery = "Caroline ".repeat(300); // 2,700 characters
    try (HotMem mem = open(embedder, 100)) {
      mem.recall(longQuery);
      mem.recall(longQuery);
      assertThat(embedder.callsFor(longQuery)).isEqualTo(2);
    }
  }

  @Test
  void theDefaultIsTenThousandAndNegativeSizesAreRefused() {
    assertThat(HotMemConfig.ephemeral().build().queryCacheSize()).isEqualTo(10_000);
    assertThatThrownBy(() -> HotMemConfig.ephemeral().queryCacheSize(-1).build())
        .isInstanceOf(HotMemException.InvalidRequest.class)
        .hasMessageContaining("queryCacheSize")
        .hasMessageContaining("-1");
  }
}
