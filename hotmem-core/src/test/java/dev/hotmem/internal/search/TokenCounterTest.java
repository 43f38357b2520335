package dev.hotmem.internal.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.hotmem.TokenEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenCounterTest {

  // Expected counts are OpenAI's tiktoken answers: "tiktoken is great!" is the example of OpenAI's
  // cookbook ("How to count tokens with tiktoken"): [83, 1609, 5963, 374, 2294, 0] in cl100k_base
  // and [83, 8251, 2488, 382, 2212, 0] in o200k_base. The rest differ between the two vocabularies,
  // which shows each encoding really is the one asked for.
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "CL100K_BASE | hello world        | 2",
        "O200K_BASE  | hello world        | 2",
        "CL100K_BASE | tiktoken is great! | 6",
        "O200K_BASE  | tiktoken is great! | 6",
        "CL100K_BASE | 😀                 | 2",
        "O200K_BASE  | 😀                 | 1",
        "CL100K_BASE | 日本語のテキスト     | 8",
        "O200K_BASE  | 日本語のテキスト     | 6",
        "CL100K_BASE | …                  | 1",
        "O200K_BASE  | …                  | 1",
      })
  void countsLikeTiktoken(TokenEncoding encoding, String text, int expected) {
    assertThat(new TokenCounter(encoding).count(text)).isEqualTo(expected);
  }

  @Test
  void emptyTextIsZeroTokens() {
    assertThat(new TokenCounter(TokenEncoding.CL100K_BASE).count("")).isZero();
  }

  @Test
  void specialTokenTextIsCountedAsOrdinaryText() {
    // jtokkit's countTokens throws on "<|endoftext|>"; a stored memory must never fail a recall.
    assertThat(new TokenCounter(TokenEncoding.CL100K_BASE).count("<|endoftext|>")).isEqualTo(7);
  }

  @Test
  void loneSurrogatesAreCountedAsReplacementCharacters() {
    // Surefire runs with assertions on, under which jtokkit would fail on these.
    TokenCounter counter = new TokenCounter(TokenEncoding.CL100K_BASE);
    int replaced = counter.count("a\uFFFDb");

    assertThat(counter.count("a\uD83Db")).isEqualTo(replaced);
    assertThat(counter.count("a\uDE00b")).isEqualTo(replaced);
    assertThat(counter.count("\uDE00\uD83D")).isEqualTo(counter.count("\uFFFD\uFFFD"));
    assertThat(counter.count("x\uD83D")).isEqualTo(counter.count("x\uFFFD"));
    assertThat(counter.count("😀\uD83D😀")).isEqualTo(counter.count("😀\uFFFD😀"));
  }

  @Test
  void countUpToIsExactWithinTheLimitAndLimitPlusOneBeyondIt() {
    TokenCounter counter = new TokenCounter(TokenEncoding.CL100K_BASE);
    String sixTokens = "tiktoken is great!";

    assertThat(counter.countUpTo(sixTokens, 6)).isEqualTo(6);
    assertThat(counter.countUpTo(sixTokens, Integer.MAX_VALUE)).isEqualTo(6);
    assertThat(counter.countUpTo(sixTokens, 5)).isEqualTo(6);
    assertThat(counter.countUpTo(sixTokens, 1)).isEqualTo(2);
    assertThat(counter.countUpTo(sixTokens, 0)).isEqualTo(1);
    assertThat(counter.countUpTo("", 0)).isZero();
    assertThat(counter.countUpTo("a\uD83Db", 100)).isEqualTo(counter.count("a\uFFFDb"));
    assertThatIllegalArgumentException().isThrownBy(() -> counter.countUpTo("x", -1));
  }

  @Test
  void nullTextIsRejected() {
    assertThatNullPointerException()
        .isThrownBy(() -> new TokenCounter(TokenEncoding.O200K_BASE).count(null));
    assertThatNullPointerException().isThrownBy(() -> new TokenCounter(null));
  }

  @Test
  void concurrentFirstUseAndCountingAgreeWithSingleThreadedCounts() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      texts.add(
          "memory " + i + ": the user prefers " + "dark ".repeat(i % 7) + "mode 😀 " + i * 31);
    }
    List<Integer> expected = new ArrayList<>();
    TokenCounter reference = new TokenCounter(TokenEncoding.O200K_BASE);
    for (String text : texts) {
      expected.add(reference.count(text));
    }

    // A fresh counter, so the threads race on its first use as well as on counting.
    TokenCounter shared = new TokenCounter(TokenEncoding.O200K_BASE);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Integer>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<List<Integer>> task =
            () -> {
              go.await();
              List<Integer> counts = new ArrayList<>();
              for (int round = 0; round < 20; round++) {
                counts.clear();
                for (String text : texts) {
                  counts.add(shared.count(text));
                }
              }
              return counts;
            };
        results.add(pool.submit(task));
      }
      go.countDown();
      for (Future<List<Integer>> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
