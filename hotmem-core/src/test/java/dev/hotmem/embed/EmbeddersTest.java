package dev.hotmem.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddersTest {

  @Test
  void parsesSchemeAndModel() {
    assertThat(EmbedderSpec.parse("hash")).isEqualTo(new EmbedderSpec("hash", null));
    assertThat(EmbedderSpec.parse(" LOCAL:all-MiniLM-L6-v2 "))
        .isEqualTo(new EmbedderSpec("local", "all-MiniLM-L6-v2"));
    assertThat(EmbedderSpec.parse("openai:org/model:tag"))
        .isEqualTo(new EmbedderSpec("openai", "org/model:tag"));
    assertThat(EmbedderSpec.parse("openai:org/model:tag").toString())
        .isEqualTo("openai:org/model:tag");
  }

  @Test
  void refusesHostileSpecs() {
    for (String bad :
        new String[] {
          "", "  ", ":", "hash:", ":model", "ha sh", "h\u0000ash", "local:\u0007", "x".repeat(600)
        }) {
      assertThatThrownBy(() -> EmbedderSpec.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> EmbedderSpec.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void createsHashEmbedders() {
    assertThat(Embedders.create("hash", Map.of()).id()).isEqualTo("hash-v1-64");
    assertThat(Embedders.create("hash:256", Map.of()).dimension()).isEqualTo(256);
    assertThatThrownBy(() -> Embedders.create("hash:big", Map.of()))
        .hasMessageContaining("hash:256");
    assertThatThrownBy(() -> Embedders.create("hash:0", Map.of()))
        .hasMessageContaining("between 1 and");
  }

  @Test
  void hashSpecRecreatesTheSameEmbedder() {
    assertThat(new HashEmbedder().spec()).isEqualTo("hash");
    assertThat(new HashEmbedder(256).spec()).isEqualTo("hash:256");
    for (Embedder e : new Embedder[] {new HashEmbedder(), new HashEmbedder(7)}) {
      Embedder again = Embedders.create(e.spec(), Map.of());
      assertThat(again.id()).isEqualTo(e.id());
      assertThat(again.embed("paints and painting")).isEqualTo(e.embed("paints and painting"));
    }
    Embedder custom =
        new Embedder() {
          @Override
          public String id() {
            return "custom";
          }

          @Override
          public int dimension() {
            return 1;
          }

          @Override
          public java.util.List<float[]> embed(java.util.List<String> texts) {
            return texts.stream().map(t -> new float[] {1}).toList();
          }
        };
    assertThat(custom.spec()).isNull();
  }

  @Test
  void unknownSchemeListsTheAvailableOnes() {
    assertThatThrownBy(() -> Embedders.create("nope:x", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown embedder 'nope:x'")
        .hasMessageContaining("hash");
  }
}
