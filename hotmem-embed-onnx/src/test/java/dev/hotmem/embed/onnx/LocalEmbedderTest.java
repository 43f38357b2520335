package dev.hotmem.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both real models, each loaded once for the JVM ({@link LocalEmbedder#of} shares them). */
class LocalEmbedderTest {

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    return dot;
  }

  private static double norm(float[] v) {
    return Math.sqrt(cosine(v, v));
  }

  @Test
  void idsAndSpecsAreTheRecordedOnes() {
    assertThat(LocalModel.BGE_SMALL_EN_V15.id()).isEqualTo("onnx-bge-small-en-v1.5-q-384");
    assertThat(LocalModel.ALL_MINILM_L6_V2.id()).isEqualTo("onnx-all-minilm-l6-v2-q-384");
    LocalEmbedder bge = LocalEmbedder.of(LocalModel.BGE_SMALL_EN_V15);
    assertThat(bge.id()).isEqualTo("onnx-bge-small-en-v1.5-q-384");
    assertThat(bge.dimension()).isEqualTo(384);
    assertThat(bge.spec()).isEqualTo("local:bge-small-en-v1.5");
    assertThat(LocalEmbedder.of(LocalModel.ALL_MINILM_L6_V2).spec())
        .isEqualTo("local:all-minilm-l6-v2");
    assertThat(LocalEmbedder.of(LocalModel.BGE_SMALL_EN_V15)).isSameAs(bge);
  }

  @ParameterizedTest
  @EnumSource(LocalModel.class)
  void similarMeaningsAreCloserThanUnrelatedOnes(LocalModel model) {
    LocalEmbedder e = LocalEmbedder.of(model);
    List<float[]> v =
        e.embed(
            List.of(
                "The cat sat on the mat.",
                "A kitten was resting on the rug.",
                "Stock markets fell sharply on Tuesday."));
    assertThat(v).hasSize(3).allSatisfy(x -> assertThat(x).hasSize(384));
    assertThat(v).allSatisfy(x -> assertThat(norm(x)).isCloseTo(1.0, within(1e-5)));
    double close = cosine(v.get(0), v.get(1));
    double far = cosine(v.get(0), v.get(2));
    assertThat(close).isGreaterThan(far + 0.2);
  }

  @ParameterizedTest
  @EnumSource(LocalModel.class)
  void aTextGetsTheSameVectorAloneAndInABatch(LocalModel model) {
    LocalEmbedder e = LocalEmbedder.of(model);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      texts.add("Melanie painted a lake at sunrise " + "and again ".repeat(i) + "in July.");
    }
    List<float[]> batch = e.embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(e.embed(texts.get(i))).as("text %d", i).containsExactly(batch.get(i));
    }
  }

  @ParameterizedTest
  @EnumSource(LocalModel.class)
  void aTextLongerThanOneWindowIsTheWeightedMeanOfItsWindows(LocalModel model) {
    LocalEmbedder e = LocalEmbedder.of(model);
    String sentence = "Caroline spoke at the school about her transition and the support she had. ";
    String longText = sentence.repeat(60); // about 900 tokens: two or more windows
    float[] whole = e.embed(longText);
    float[] part = e.embed(sentence.repeat(5));
    assertThat(norm(whole)).isCloseTo(1.0, within(1e-5));
    assertThat(cosine(whole, part)).isGreaterThan(0.8);
    assertThat(whole).isNotEqualTo(e.embed(sentence.repeat(1000).substring(0, 2000)));
  }

  @ParameterizedTest
  @EnumSource(LocalModel.class)
  void textsWithoutTokensGetTheZeroVector(LocalModel model) {
    LocalEmbedder e = LocalEmbedder.of(model);
    List<float[]> v = e.embed(List.of("", "   \n\t  ", "real words"));
    assertThat(v.get(0)).containsOnly(0f).hasSize(384);
    assertThat(v.get(1)).containsOnly(0f).hasSize(384);
    assertThat(norm(v.get(2))).isCloseTo(1.0, within(1e-5));
    assertThat(e.embed(List.of())).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(LocalModel.class)
  void hostileTextGivesFiniteUnitVectors(LocalModel model) {
    LocalEmbedder e = LocalEmbedder.of(model);
    List<String> hostile =
        List.of(
            "nul\u0000inside",
            "lone high \uD800 surrogate",
            "lone low \uDC00 surrogate",
            "ends in a high surrogate \uD83D",
            "emoji 😀👩‍👩‍👧 and astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "עברית ومرحبا 中文 日本語 한국어",
            "e\u0301\u0301\u0301\u0301 combining marks",
            "\u202Eright-to-left override\u202C",
            "x".repeat(12_000), // one word longer than a window
            "word ".repeat(1_500), // three windows
            "[CLS] [SEP] [PAD] [MASK] [UNK] <s> </s>");
    List<float[]> v = e.embed(hostile);
    assertThat(v).hasSize(hostile.size());
    for (int i = 0; i < v.size(); i++) {
      float[] x = v.get(i);
      assertThat(x).as("text %d", i).hasSize(384);
      for (float f : x) {
        assertThat(Float.isFinite(f)).as("text %d", i).isTrue();
      }
      assertThat(norm(x)).as("text %d", i).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void surrogatesAndNulsAreReplacedBeforeTheNativeTokenizer() {
    assertThat(LocalEmbedder.safeForNative("plain")).isEqualTo("plain");
    assertThat(LocalEmbedder.safeForNative("a\u0000b")).isEqualTo("a\uFFFDb");
    assertThat(LocalEmbedder.safeForNative("a\uD800b\uDC00")).isEqualTo("a\uFFFDb\uFFFD");
    assertThat(LocalEmbedder.safeForNative("\uD83D")).isEqualTo("\uFFFD");
    assertThat(LocalEmbedder.safeForNative("\u0000😀\uDC00😀")).isEqualTo("\uFFFD😀\uFFFD😀");
  }

  @Test
  void aNullTextIsRefusedByIndex() {
    LocalEmbedder e = LocalEmbedder.of(LocalModel.BGE_SMALL_EN_V15);
    List<String> texts = Arrays.asList("fine", null);
    assertThatThrownBy(() -> e.embed(texts))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("texts[1]");
    assertThatThrownBy(() -> e.embed((List<String>) null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void theResultListIsMutableAsTheEngineReplacesItsVectors() {
    List<float[]> v = LocalEmbedder.of(LocalModel.ALL_MINILM_L6_V2).embed(List.of("a", "b"));
    v.set(0, new float[384]);
    assertThat(v.get(0)).containsOnly(0f);
  }

  @Test
  void concurrentCallersGetTheSameVectors() throws Exception {
    LocalEmbedder e = LocalEmbedder.of(LocalModel.BGE_SMALL_EN_V15);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      texts.add("Joanna adopted dog number " + i + " from the shelter in town.");
    }
    List<float[]> expected = e.embed(texts);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<float[]>>> answers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        answers.add(threads.submit(() -> e.embed(texts)));
      }
      for (Future<List<float[]>> f : answers) {
        List<float[]> got = f.get();
        for (int i = 0; i < texts.size(); i++) {
          assertThat(got.get(i)).containsExactly(expected.get(i));
        }
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void warmingUpLoadsTheModel() {
    LocalEmbedder lazy = LocalEmbedder.unshared(LocalModel.ALL_MINILM_L6_V2);
    assertThat(lazy.isLoaded()).isFalse();
    lazy.warmUp();
    assertThat(lazy.isLoaded()).isTrue();
  }

  @Test
  void theModelLoadsOnTheFirstEmbeddingNotBefore() {
    LocalEmbedder lazy = LocalEmbedder.unshared(LocalModel.BGE_SMALL_EN_V15);
    assertThat(lazy.id()).isEqualTo(LocalModel.BGE_SMALL_EN_V15.id());
    assertThat(lazy.dimension()).isEqualTo(384);
    assertThat(lazy.spec()).isEqualTo("local:bge-small-en-v1.5");
    assertThat(lazy.embed(java.util.List.of())).isEmpty();
    assertThat(lazy.isLoaded()).as("nothing embedded yet").isFalse();
    float[] v = lazy.embed("loaded now");
    assertThat(lazy.isLoaded()).isTrue();
    assertThat(v)
        .containsExactly(LocalEmbedder.of(LocalModel.BGE_SMALL_EN_V15).embed("loaded now"));
  }
}
