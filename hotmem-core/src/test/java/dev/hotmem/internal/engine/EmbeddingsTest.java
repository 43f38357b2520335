package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.embed.HashEmbedder;
import dev.hotmem.internal.store.VectorCodec;
import dev.hotmem.internal.trace.Tracer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {
  private final HashEmbedder hash = new HashEmbedder();

  private float[] unit(String text) {
    float[] v = hash.embed(text).clone();
    VectorCodec.normalize(v);
    return v;
  }

  @Test
  void aMemoryWithAContextIsEmbeddedWithItsContextOnTheLineBefore() {
    float[][] out =
        Embeddings.embedDocuments(
            hash,
            Arrays.asList("alone", "Yes, the red one.", "last"),
            Arrays.asList(null, "Did you buy the bicycle?", null),
            2, // across batches: each vector must still line up with its memory
            Tracer.off());
    assertThat(out[0]).containsExactly(unit("alone"));
    assertThat(out[1]).containsExactly(unit("Did you buy the bicycle?\nYes, the red one."));
    assertThat(out[2]).containsExactly(unit("last"));
  }

  @Test
  void noMemoriesNoCalls() {
    assertThat(Embeddings.embedDocuments(hash, List.of(), List.of(), 8, Tracer.off())).isEmpty();
  }
}
