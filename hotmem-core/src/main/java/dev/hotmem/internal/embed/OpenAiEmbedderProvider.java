package dev.hotmem.internal.embed;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.EmbedderProvider;
import dev.hotmem.embed.EmbedderSpec;
import java.util.Map;

/**
 * The {@code openai} scheme: {@code openai:MODEL} asks an OpenAI-compatible server for MODEL's
 * embeddings ({@code openai} alone: {@value OpenAiSettings#DEFAULT_MODEL}). Settings: {@code
 * base_url} (default {@value OpenAiSettings#DEFAULT_BASE_URL}), {@code api_key}, {@code timeout_ms}
 * (default {@value OpenAiSettings#DEFAULT_TIMEOUT_MS}), {@code batch_size} (default {@value
 * OpenAiSettings#DEFAULT_BATCH}), {@code dimension} (learned from one request when absent), {@code
 * max_retries} (default {@value OpenAiSettings#DEFAULT_RETRIES}).
 */
public final class OpenAiEmbedderProvider implements EmbedderProvider {

  /** For {@link java.util.ServiceLoader}. */
  public OpenAiEmbedderProvider() {}

  @Override
  public String scheme() {
    return "openai";
  }

  @Override
  public String description() {
    return "openai:MODEL - an OpenAI-compatible /embeddings server (OpenAI, Ollama, vLLM,"
        + " LM Studio, llama.cpp) at --embedder-url, default "
        + OpenAiSettings.DEFAULT_BASE_URL;
  }

  /**
   * @throws IllegalArgumentException if a setting is invalid
   * @throws dev.hotmem.HotMemException.EmbeddingFailed if no dimension is given and the request
   *     that learns it fails
   */
  @Override
  public Embedder create(EmbedderSpec spec, Map<String, String> settings) {
    return OpenAiEmbedder.create(
        OpenAiSettings.parse(spec.model(), settings), OpenAiClient.REAL_SLEEP);
  }
}
