package dev.hotmem.facts;

import dev.hotmem.ErrorCode;
import dev.hotmem.HotMemException;
import dev.hotmem.internal.facts.OpenAiChatModel;
import java.net.URI;
import java.time.Duration;

/**
 * A chat language model, used to consolidate the hot tier when it is nearly full. Implementations
 * must be thread-safe.
 */
@FunctionalInterface
public interface ChatModel {
  /**
   * Answers {@code user} under the instructions {@code system}.
   *
   * @return the model's answer text, not null
   * @throws Failed if the model cannot be reached or answers with something unusable
   */
  String complete(String system, String user);

  /**
   * A model behind any OpenAI-compatible chat endpoint ({@code POST <baseUrl>/chat/completions}),
   * on the JDK HTTP client, with no retries (consolidation falls back to moving facts instead).
   *
   * @param baseUrl for example {@code https://api.openai.com/v1} or {@code
   *     http://127.0.0.1:11434/v1}; http or https
   * @param model the model name sent in each request
   * @param apiKey sent as a bearer token; null or blank for none
   * @param timeout bound on a whole exchange, body included; positive
   * @throws HotMemException.InvalidRequest if an argument is unusable
   */
  static ChatModel openAiCompatible(URI baseUrl, String model, String apiKey, Duration timeout) {
    return new OpenAiChatModel(baseUrl, model, apiKey, timeout);
  }

  /**
   * A chat model that could not answer usefully: unreachable, an HTTP error, a malformed answer.
   */
  final class Failed extends HotMemException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the endpoint
     * @param cause the underlying failure, or null
     */
    public Failed(String message, Throwable cause) {
      super(ErrorCode.STORAGE_FAILED, message, cause);
    }
  }
}
