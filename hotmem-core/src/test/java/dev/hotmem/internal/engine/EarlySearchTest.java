package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.MemoryStatus;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.index.VectorQuery;
import dev.hotmem.internal.index.ExactVectorIndex;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An early search is run once, by its helper or by the recall, whichever comes first. */
class EarlySearchTest {
  private static final VectorFilter ACTIVE =
      new VectorFilter("ns", null, Set.of(MemoryStatus.ACTIVE), null);

  private final ExactVectorIndex index = new ExactVectorIndex(2);

  EarlySearchTest() {
    index.upsert(new VectorEntry(1, new float[] {1, 0}, "ns", "a", MemoryStatus.ACTIVE));
    index.upsert(new VectorEntry(2, new float[] {0, 1}, "ns", "a", MemoryStatus.ACTIVE));
  }

  @AfterEach
  void close() {
    index.close();
  }

  private static VectorQuery query() {
    return new VectorQuery(new float[] {1, 0}, 1, ACTIVE);
  }

  /** The index, counting its searches. */
  private VectorIndex counting(AtomicInteger searches) {
    return (VectorIndex)
        Proxy.newProxyInstance(
            VectorIndex.class.getClassLoader(),
            new Class<?>[] {VectorIndex.class},
            (proxy, method, args) -> {
              if (method.getName().equals("search")) {
                searches.incrementAndGet();
              }
              try {
                return method.invoke(index, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void aSearchNoHelperHasBegunIsRunByTheRecallItselfAndOnlyOnce() throws Exception {
    AtomicInteger searches = new AtomicInteger();
    List<Runnable> parked = new ArrayList<>();
    Executor neverRuns = parked::add; // a helper pool too busy to start anything
    EarlySearch search = EarlySearch.start(counting(searches), query(), neverRuns);

    assertThat(search.join()).extracting(h -> h.key()).containsExactly(1L);
    assertThat(search.ranByCaller()).isTrue();
    assertThat(search.nanos()).isPositive();
    assertThat(searches.get()).isEqualTo(1);
    // The helper gets to it later: it must not search again.
    assertThat(parked).hasSize(1);
    parked.get(0).run();
    assertThat(search.join()).extracting(h -> h.key()).containsExactly(1L);
    assertThat(searches.get()).isEqualTo(1);
  }

  @Test
  void aSearchTheHelperRanIsNotRunAgain() throws Exception {
    AtomicInteger searches = new AtomicInteger();
    EarlySearch search = EarlySearch.start(counting(searches), query(), Runnable::run);

    assertThat(search.join()).extracting(h -> h.key()).containsExactly(1L);
    assertThat(search.ranByCaller()).isFalse();
    assertThat(searches.get()).isEqualTo(1);
  }

  @Test
  void aHelperThatRefusesTheTaskLeavesTheSearchToTheRecall() throws Exception {
    Executor refuses =
        r -> {
          throw new java.util.concurrent.RejectedExecutionException("shut down");
        };
    EarlySearch search = EarlySearch.start(index, query(), refuses);

    assertThat(search.join()).extracting(h -> h.key()).containsExactly(1L);
    assertThat(search.ranByCaller()).isTrue();
  }

  @Test
  void whatTheSearchThrowsReachesTheRecall() {
    VectorQuery wrongDimension = new VectorQuery(new float[] {1, 0, 0}, 1, ACTIVE);

    EarlySearch byHelper = EarlySearch.start(index, wrongDimension, Runnable::run);
    assertThatThrownBy(byHelper::join).isInstanceOf(IllegalArgumentException.class);
    EarlySearch byCaller = EarlySearch.start(index, wrongDimension, r -> {});
    assertThatThrownBy(byCaller::join).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultHelpersAnswerToo() throws Exception {
    for (int i = 0; i < 50; i++) {
      assertThat(EarlySearch.start(index, query()).join())
          .extracting(h -> h.key())
          .containsExactly(1L);
    }
  }
}
