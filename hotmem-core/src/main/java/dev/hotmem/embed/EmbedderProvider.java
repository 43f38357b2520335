package dev.hotmem.embed;

import java.util.Map;

/**
 * Creates the embedders of one {@link EmbedderSpec#scheme() scheme}. Providers are found with
 * {@link java.util.ServiceLoader} (a {@code provides} clause on the module path, {@code
 * META-INF/services/dev.hotmem.embed.EmbedderProvider} on the class path); {@link Embedders} picks
 * the one whose scheme a spec names. The engine itself provides {@code hash}; {@code
 * hotmem-embed-onnx} provides {@code local}.
 */
public interface EmbedderProvider {

  /** The scheme this provider answers, lower-case, for example {@code local}. */
  String scheme();

  /** One line for {@code --help} and error messages: what the scheme is and which models it has. */
  String description();

  /**
   * Creates an embedder.
   *
   * @param spec a spec whose scheme is {@link #scheme()}; its model may be null (the default)
   * @param settings provider settings by lower-case key (for example {@code base_url}, {@code
   *     api_key}); the faces fill them from flags and environment variables. Unknown keys are
   *     ignored.
   * @throws IllegalArgumentException if the model is unknown or a setting is invalid, with a
   *     message fit for a user
   */
  Embedder create(EmbedderSpec spec, Map<String, String> settings);
}
