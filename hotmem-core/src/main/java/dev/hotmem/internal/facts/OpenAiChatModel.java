package dev.hotmem.internal.facts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotmem.HotMemException.InvalidRequest;
import dev.hotmem.facts.ChatModel;
import dev.hotmem.internal.http.LimitedBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link ChatModel} over an OpenAI-compatible {@code POST <base>/chat/completions}. Thread-safe.
 *
 * <p>Implementation notes. One attempt, no retries: its only caller falls back to moving facts when
 * the model fails, so a retry would only delay a write. The whole exchange, body included, is
 * bounded by the timeout (waiting on the future, not only {@link HttpRequest#timeout()}, which
 * covers the headers), and the body is cut off past {@value #MAX_BODY_BYTES} bytes as it streams
 * in, so a hostile or broken server can neither stall a write nor fill the heap. Redirects are not
 * followed (they would carry the key elsewhere).
 */
public final class OpenAiChatModel implements ChatModel {
  static final int MAX_BODY_BYTES = 1 << 20;

  private final URI endpoint;
  private final String model;
  private final String apiKey;
  private final Duration timeout;
  private final HttpClient http;

  public OpenAiChatModel(URI baseUrl, String model, String apiKey, Duration timeout) {
    if (baseUrl == null
        || baseUrl.getScheme() == null
        || !(baseUrl.getScheme().equalsIgnoreCase("http")
            || baseUrl.getScheme().equalsIgnoreCase("https"))
        || baseUrl.getHost() == null) {
      throw new InvalidRequest("base_url", "must be an http or https URL; found " + baseUrl);
    }
    if (model == null || model.isBlank()) {
      throw new InvalidRequest("model", "must not be empty");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new InvalidRequest("timeout", "must be positive; found " + timeout);
    }
    String base = baseUrl.toString().replaceAll("/+$", "");
    this.endpoint = URI.create(base + "/chat/completions");
    this.model = model.strip();
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String complete(String system, String user) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    body.put("temperature", 0);
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", system);
    messages.addObject().put("role", "user").put("content", user);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<byte[]> response = send(request.build());
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (response.statusCode() / 100 != 2) {
      throw failed("HTTP " + response.statusCode() + " (" + excerpt(text) + ")", null);
    }
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw failed("the answer is not JSON (" + excerpt(text) + ")", e);
    }
    JsonNode content =
        json == null ? null : json.path("choices").path(0).path("message").path("content");
    if (content == null || !content.isTextual()) {
      throw failed(
          "the answer has no choices[0].message.content string (" + excerpt(text) + ")", null);
    }
    return content.asText();
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(request, info -> new LimitedBody(MAX_BODY_BYTES));
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw failed("interrupted while waiting", e);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw failed("no complete answer within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw failed(
          cause instanceof LimitedBody.TooLarge ? cause.getMessage() : "cannot reach it: " + cause,
          cause);
    }
  }

  private ChatModel.Failed failed(String what, Throwable cause) {
    return new ChatModel.Failed("chat model " + model + " at " + endpoint + ": " + what, cause);
  }

  private static String excerpt(String text) {
    String s = text.strip().replaceAll("\\s+", " ");
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
