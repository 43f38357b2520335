package dev.hotmem.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random bytes and mutated valid bodies never get a 500 (or a stack trace) from any endpoint. The
 * seed is printed in each assertion; set {@code -Dhotmem.seed=N} to replay a run.
 */
class RandomBodyTest extends ServerFixture {
  static final List<String> PATHS =
      List.of("/v1/add", "/v1/add/batch", "/v1/search", "/v1/hydrate", "/v1/snapshot");
  static final List<String> VALID =
      List.of(
          "{\"identifier\": \"v\", \"fact\": \"Invoice total was $5000\", \"importance\": 0.8,"
              + " \"metadata\": {\"a\": [1, 2.5, null]}, \"ttl_seconds\": 60}",
          "{\"memories\": [{\"fact\": \"a\"}, {\"identifier\": \"b\", \"fact\": \"c\"}]}",
          "{\"query\": \"invoice\", \"top_k\": 3, \"max_chars\": 100, \"status\": [\"active\"],"
              + " \"created_after\": \"2020-01-01T00:00:00Z\", \"min_score\": 0.1}",
          "{\"file\": \"swap.jsonl\", \"skip_bad\": true}",
          "{\"path\": \"x/y.jsonl.gz\", \"include_embeddings\": false}");

  static final byte[] JSON_BYTES = "{}[]\",:0-e.\\tnu\u00ff".getBytes(StandardCharsets.ISO_8859_1);

  @Test
  void noBodyEverGetsA500() {
    long seed = Long.getLong("hotmem.seed", System.nanoTime());
    Random random = new Random(seed);
    String id = hotMem.remember("patch target").memory().id();
    for (int i = 0; i < 400; i++) {
      int which = random.nextInt(PATHS.size() + 1);
      byte[] body =
          random.nextBoolean()
              ? randomBytes(random)
              : mutate(random, VALID.get(which % VALID.size()).getBytes(StandardCharsets.UTF_8));
      String path = which == PATHS.size() ? "/v1/memory/" + id : PATHS.get(which);
      String method = which == PATHS.size() ? "PATCH" : "POST";
      Reply r = sendBytes(method, path, body, true);
      assertThat(r.status())
          .as("seed %d, iteration %d, %s %s: %s", seed, i, method, path, r.body())
          .isLessThan(500);
      assertThat(r.body()).as("seed %d", seed).doesNotContain("\tat ").doesNotContain("Exception");
    }
  }

  static byte[] randomBytes(Random random) {
    byte[] b = new byte[random.nextInt(300)];
    random.nextBytes(b);
    return b;
  }

  /** Flips, inserts or deletes a few bytes of a valid body. */
  static byte[] mutate(Random random, byte[] valid) {
    byte[] b = valid.clone();
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(3)) {
        case 0:
          b[at] = (byte) random.nextInt(256);
          break;
        case 1:
          byte[] shorter = new byte[b.length - 1];
          System.arraycopy(b, 0, shorter, 0, at);
          System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
          b = shorter.length == 0 ? b : shorter;
          break;
        default:
          byte[] longer = new byte[b.length + 1];
          System.arraycopy(b, 0, longer, 0, at);
          longer[at] = JSON_BYTES[random.nextInt(JSON_BYTES.length)];
          System.arraycopy(b, at, longer, at + 1, b.length - at);
          b = longer;
      }
    }
    return b;
  }
}
