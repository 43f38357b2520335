package dev.hotmem.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashEmbedderTest {
  private final HashEmbedder embedder = new HashEmbedder();

  @Test
  void defaultsToDimension64() {
    assertThat(embedder.dimension()).isEqualTo(64);
    assertThat(embedder.id()).isEqualTo("hash-v1-64");
    assertThat(embedder.embed("anything")).hasSize(64);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 384, 4096})
  void vectorsHaveTheConfiguredDimensionAndId(int dimension) {
    HashEmbedder sized = new HashEmbedder(dimension);

    assertThat(sized.dimension()).isEqualTo(dimension);
    assertThat(sized.id()).isEqualTo("hash-v1-" + dimension);
    assertThat(sized.embed(List.of("one text", "another text")))
        .allSatisfy(vector -> assertThat(vector).hasSize(dimension));
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 4097, Integer.MAX_VALUE})
  void dimensionOutOfRangeIsRejected(int dimension) {
    assertThatThrownBy(() -> new HashEmbedder(dimension))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found " + dimension);
  }

  @Test
  void sameTextGivesTheSameVectorAcrossCallsAndInstances() {
    String text = "Caroline went to the LGBTQ support group on 7 May";

    float[] first = embedder.embed(text);

    assertThat(embedder.embed(text)).containsExactly(first);
    assertThat(new HashEmbedder().embed(List.of(text)).get(0)).containsExactly(first);
  }

  @Test
  void vectorsHaveUnitLength() {
    for (String text :
        List.of(
            "x",
            "The quick brown fox",
            "who is it",
            "naïve café",
            "日本語のテキスト",
            "a".repeat(10_000))) {
      assertThat(norm(embedder.embed(text))).as(text).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void textWithoutTokensGivesTheZeroVector() {
    for (String text : List.of("", "   ", "?!.,;", "\uD83D\uDE00\uD83C\uDFA8")) {
      assertThat(embedder.embed(text)).as(text).containsOnly(0f);
    }
  }

  @Test
  void stopWordsAloneStillGiveADirection() {
    assertThat(norm(embedder.embed("who is it"))).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void stopWordsAreIgnoredNextToContentWords() {
    assertThat(embedder.embed("what about the painting"))
        .containsExactly(embedder.embed("painting"));
  }

  /**
   * Pins the algorithm: if this fails, vectors changed, and stores built with {@code hash-v1-*}
   * would mix old and new vectors. Restore the old behaviour, or give the new one a new id ({@code
   * hash-v2-...}) and update these numbers.
   */
  @Test
  void goldenVectorPinsTheAlgorithm() {
    float[] vector = embedder.embed("The quick brown fox");

    assertThat(Arrays.copyOf(vector, 8))
        .containsExactly(
            new float[] {0f, -0.15617377f, 0f, 0f, 0f, 0f, 0f, -0.15617377f}, within(1e-6f));
    // Java float arithmetic is strict since 17, so every bit of the vector is reproducible.
    assertThat(Arrays.hashCode(vector)).isEqualTo(-502415064);
  }

  @Test
  void textsSharingWordsAreMoreSimilarThanUnrelatedTexts() {
    float[] query = embedder.embed("Caroline loves painting landscapes");
    float[] related = embedder.embed("Caroline paints landscapes on weekends");
    float[] unrelated = embedder.embed("The quarterly tax report is due on Friday");

    assertThat(cosine(query, related)).isGreaterThan(cosine(query, unrelated) + 0.2);
  }

  @Test
  void inflectedFormsShareSignalThroughTrigrams() {
    // Measured: 0.22 and 0.32, from shared trigrams (#pa pai ain int; #ru run unn).
    assertThat(cosine(embedder.embed("painting"), embedder.embed("paints"))).isGreaterThan(0.1);
    assertThat(cosine(embedder.embed("running"), embedder.embed("runner"))).isGreaterThan(0.1);
  }

  @Test
  void diacriticsAndCaseDoNotMatter() {
    assertThat(embedder.embed("CAFÉ Crème")).containsExactly(embedder.embed("cafe creme"));
  }

  @Test
  void batchOfZeroIsEmpty() {
    assertThat(embedder.embed(List.of())).isEmpty();
  }

  @Test
  void batchKeepsOrder() {
    List<float[]> vectors = embedder.embed(List.of("alpha", "beta", "alpha"));

    assertThat(vectors).hasSize(3);
    assertThat(vectors.get(0)).containsExactly(vectors.get(2)).isNotEqualTo(vectors.get(1));
    assertThat(vectors.get(1)).containsExactly(embedder.embed("beta"));
  }

  @Test
  void nullTextsAreRejected() {
    assertThatThrownBy(() -> embedder.embed((String) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> embedder.embed(Arrays.asList("ok", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("texts[1]");
  }

  @Test
  void concurrentUseGivesIdenticalVectors() throws Exception {
    List<String> texts = sampleTexts(2_000, new Random(7));
    List<float[]> expected = embedder.embed(texts);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<float[]>>> results = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<float[]> vectors = new ArrayList<>();
                  for (String text : texts) {
                    vectors.add(embedder.embed(text));
                  }
                  return vectors;
                }));
      }
      start.countDown();
      for (Future<List<float[]>> result : results) {
        List<float[]> vectors = result.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < texts.size(); i++) {
          assertThat(vectors.get(i)).as(texts.get(i)).containsExactly(expected.get(i));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Prints the bulk-load throughput; asserts only that the vectors are right. */
  @Test
  void throughputOfShortTexts() {
    List<String> texts = sampleTexts(200_000, new Random(11));
    embedder.embed(texts); // warm-up, so that the timed pass runs compiled code

    long start = System.nanoTime();
    List<float[]> vectors = embedder.embed(texts);
    double seconds = (System.nanoTime() - start) / 1e9;

    System.out.printf(
        "HashEmbedder(64): %,d short texts in %.3f s = %,.0f texts/s%n",
        texts.size(), seconds, texts.size() / seconds);
    assertThat(vectors).hasSize(texts.size());
    assertThat(norm(vectors.get(vectors.size() - 1))).isCloseTo(1.0, within(1e-5));
    assertThat(vectors.get(123)).containsExactly(embedder.embed(texts.get(123)));
  }

  /** Short memory-like sentences of 5 to 15 words from a small vocabulary. */
  private static List<String> sampleTexts(int count, Random random) {
    List<String> vocabulary =
        List.of(
            "Caroline",
            "Melanie",
            "went",
            "to",
            "the",
            "support",
            "group",
            "yesterday",
            "painted",
            "a",
            "sunrise",
            "over",
            "lake",
            "she",
            "likes",
            "camping",
            "with",
            "her",
            "kids",
            "adoption",
            "agency",
            "interview",
            "charity",
            "race",
            "mental",
            "health",
            "pottery",
            "class",
            "café",
            "on",
            "Friday",
            "birthday",
            "concert",
            "violin",
            "book",
            "reading",
            "family",
            "beach",
            "hiking",
            "2023",
            "May",
            "plans",
            "career",
            "counseling",
            "what",
            "did",
            "think",
            "about",
            "new",
            "job");
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      List<String> words = new ArrayList<>();
      int length = 5 + random.nextInt(11);
      for (int w = 0; w < length; w++) {
        words.add(vocabulary.get(random.nextInt(vocabulary.size())));
      }
      texts.add(String.join(" ", words) + ".");
    }
    return Collections.unmodifiableList(texts);
  }

  private static double norm(float[] vector) {
    double sum = 0;
    for (float value : vector) {
      sum += (double) value * value;
    }
    return Math.sqrt(sum);
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    return dot / (norm(a) * norm(b));
  }
}
