package dev.hotmem.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.EmbedderSpec;
import dev.hotmem.embed.Embedders;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalEmbedderProviderTest {

  @Test
  void isFoundThroughTheServiceFile() {
    assertThat(Embedders.providers()).containsKeys("hash", "local");
    assertThat(Embedders.providers().get("local")).isInstanceOf(LocalEmbedderProvider.class);
    assertThat(Embedders.schemes()).contains("local");
    assertThat(new LocalEmbedderProvider().description())
        .contains("bge-small-en-v1.5 (default)", "all-minilm-l6-v2");
  }

  @Test
  void localAloneIsTheDefaultModel() {
    Embedder e = Embedders.create("local", Map.of());
    assertThat(e.id()).isEqualTo(LocalModel.DEFAULT.id());
    assertThat(e.spec()).isEqualTo(LocalModel.DEFAULT.spec());
  }

  @ParameterizedTest
  @CsvSource({
    "local:bge-small-en-v1.5, onnx-bge-small-en-v1.5-q-384",
    "LOCAL:BGE-Small-EN-v1.5, onnx-bge-small-en-v1.5-q-384",
    "local:bge-small, onnx-bge-small-en-v1.5-q-384",
    "local:bge, onnx-bge-small-en-v1.5-q-384",
    "local:all-minilm-l6-v2, onnx-all-minilm-l6-v2-q-384",
    "local:MiniLM, onnx-all-minilm-l6-v2-q-384",
    "local:all-MiniLM-L6-v2-q, onnx-all-minilm-l6-v2-q-384",
  })
  void namesAndAliasesPickTheModelCaseInsensitively(String spec, String id) {
    assertThat(Embedders.create(spec, Map.of()).id()).isEqualTo(id);
  }

  @Test
  void theSpecOfAnEmbedderRecreatesIt() {
    for (LocalModel m : LocalModel.values()) {
      LocalEmbedder e = LocalEmbedder.of(m);
      assertThat(EmbedderSpec.parse(e.spec()).toString()).isEqualTo(e.spec());
      assertThat(Embedders.create(e.spec(), Map.of())).isSameAs(e);
    }
  }

  @Test
  void anUnknownModelNamesTheKnownOnes() {
    assertThatThrownBy(() -> Embedders.create("local:gpt-9", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown local model 'gpt-9': available are bge-small-en-v1.5, all-minilm-l6-v2");
    assertThatThrownBy(
            () -> new LocalEmbedderProvider().create(new EmbedderSpec("hash", null), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a local model");
  }

  @Test
  void settingsAreIgnored() {
    assertThat(Embedders.create("local:minilm", Map.of("base_url", "http://x", "api_key", "k")))
        .isSameAs(LocalEmbedder.of(LocalModel.ALL_MINILM_L6_V2));
  }

  @Test
  void byNameIgnoresBlanksAndRefusesNull() {
    assertThat(LocalModel.byName("  Minilm ")).contains(LocalModel.ALL_MINILM_L6_V2);
    assertThat(LocalModel.byName(null)).isEmpty();
    assertThat(LocalModel.byName("")).isEmpty();
    assertThat(LocalModel.byName("bge-large")).isEmpty();
  }
}
