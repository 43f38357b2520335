package dev.hotmem.embed.onnx;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.EmbedderProvider;
import dev.hotmem.embed.EmbedderSpec;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code local} scheme: {@code local} is the {@link LocalModel#DEFAULT default model}, {@code
 * local:bge-small-en-v1.5} and {@code local:all-minilm-l6-v2} (or an alias such as {@code
 * local:bge-small} or {@code local:minilm}, any case) name one. Registered for {@link
 * java.util.ServiceLoader} in {@code META-INF/services}. Takes no settings.
 */
public final class LocalEmbedderProvider implements EmbedderProvider {

  /** The scheme this provider answers. */
  public static final String SCHEME = "local";

  /** For {@link java.util.ServiceLoader}. */
  public LocalEmbedderProvider() {}

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public String description() {
    return "local[:MODEL] - in-process ONNX model, no network: "
        + LocalModel.DEFAULT.modelName()
        + " (default), "
        + Arrays.stream(LocalModel.values())
            .filter(m -> m != LocalModel.DEFAULT)
            .map(LocalModel::modelName)
            .collect(Collectors.joining(", "));
  }

  /**
   * The shared embedder of the model the spec names (loaded on first use).
   *
   * @throws IllegalArgumentException if the spec names no known model
   * @throws IllegalStateException if the model cannot be loaded
   */
  @Override
  public Embedder create(EmbedderSpec spec, Map<String, String> settings) {
    if (!SCHEME.equals(spec.scheme())) {
      throw new IllegalArgumentException(
          "embedder '" + spec + "' is not a local model (scheme " + SCHEME + ")");
    }
    LocalModel model =
        spec.model() == null
            ? LocalModel.DEFAULT
            : LocalModel.byName(spec.model())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "unknown local model '"
                                + spec.model()
                                + "': available are "
                                + Arrays.stream(LocalModel.values())
                                    .map(LocalModel::modelName)
                                    .collect(Collectors.joining(", "))));
    return LocalEmbedder.of(model);
  }
}
