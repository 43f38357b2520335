package dev.hotmem.internal.embed;

import dev.hotmem.embed.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An embedder that asks an OpenAI-compatible server ({@code POST <base_url>/embeddings}: OpenAI,
 * Ollama, vLLM, LM Studio, llama.cpp's server) for its vectors, {@code batch_size} texts per
 * request. Thread-safe.
 *
 * <p>Its {@link #id()} is {@code openai-<model>-<dimension>}. It does not name the server: the same
 * model served by OpenAI or by a local server gives comparable vectors, and a store moved between
 * the two should keep working. The price is that two servers serving different weights under one
 * model name look compatible; give such models distinct names.
 */
public final class OpenAiEmbedder implements Embedder {
  private static final String PROBE_TEXT = "HotMem asks for the dimension of this model.";

  private final OpenAiSettings settings;
  private final OpenAiClient client;
  private final int dimension;
  private final String id;

  private OpenAiEmbedder(OpenAiSettings settings, OpenAiClient client, int dimension) {
    this.settings = settings;
    this.client = client;
    this.dimension = dimension;
    this.id = "openai-" + settings.model() + "-" + dimension;
  }

  /**
   * Creates the embedder; when {@code settings} give no dimension, one request with one short text
   * learns it.
   *
   * @throws dev.hotmem.HotMemException.EmbeddingFailed if that request fails
   */
  static OpenAiEmbedder create(OpenAiSettings settings, OpenAiClient.Sleeper sleeper) {
    OpenAiClient client = new OpenAiClient(settings, sleeper);
    int dimension = settings.dimension();
    if (dimension == 0) {
      dimension = client.embed(List.of(PROBE_TEXT), 0).get(0).length;
    }
    return new OpenAiEmbedder(settings, client, dimension);
  }

  /** {@code openai-<model>-<dimension>}, for example {@code openai-nomic-embed-text-768}. */
  @Override
  public String id() {
    return id;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** {@code openai:<model>}; the server and key are settings, not part of the spec. */
  @Override
  public String spec() {
    return "openai:" + settings.model();
  }

  /**
   * Embeds the texts, {@code batch_size} per request, in order.
   *
   * @throws dev.hotmem.HotMemException.EmbeddingFailed when a request fails for good (after its
   *     retries) or the server answers with the wrong count, dimension or values
   */
  @Override
  public List<float[]> embed(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    List<float[]> out = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += settings.batchSize()) {
      List<String> batch = texts.subList(from, Math.min(texts.size(), from + settings.batchSize()));
      for (int i = 0; i < batch.size(); i++) {
        Objects.requireNonNull(batch.get(i), () -> "a text is null");
      }
      out.addAll(client.embed(batch, dimension));
    }
    return out;
  }

  /** The model and endpoint; never the key. */
  @Override
  public String toString() {
    return "OpenAiEmbedder[" + id + " at " + client.endpoint() + "]";
  }
}
