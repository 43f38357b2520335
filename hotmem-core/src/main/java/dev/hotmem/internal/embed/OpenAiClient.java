package dev.hotmem.internal.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotmem.HotMemException;
import dev.hotmem.internal.http.LimitedBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code POST <base_url>/embeddings} with retries: the HTTP half of {@link OpenAiEmbedder}.
 * Thread-safe (the JDK {@link HttpClient} is).
 *
 * <h2>Implementation notes</h2>
 *
 * <p>A 429, a 5xx, an I/O failure or a timeout is retried up to {@code max_retries} times, waiting
 * what the server's {@code Retry-After} asks (seconds or an HTTP date, at most {@link
 * #MAX_RETRY_AFTER}; a longer wait fails at once rather than stalling a write for minutes) or else
 * an exponential backoff from {@link #BASE_BACKOFF} doubled per attempt up to {@link #MAX_BACKOFF},
 * with jitter so that several clients do not retry in step. Other answers are final: a 4xx is the
 * caller's mistake (key, model, URL), and a 2xx with a bad body would be bad again.
 *
 * <p>{@link HttpRequest#timeout()} covers only the wait for the answer's headers, so the whole
 * exchange (body included) is bounded by waiting on the future, and a body larger than the answer
 * can be ({@link #bodyLimit}) is cut off as it streams in: a broken or hostile server can neither
 * stall a caller past the timeout nor fill the heap.
 */
final class OpenAiClient {
  static final Duration BASE_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Waits between attempts; tests record the waits instead of sleeping. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  static final Sleeper REAL_SLEEP = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

  private final OpenAiSettings settings;
  private final URI endpoint;
  private final HttpClient http;
  private final Sleeper sleeper;

  OpenAiClient(OpenAiSettings settings, Sleeper sleeper) {
    this.settings = settings;
    this.endpoint = settings.endpoint();
    this.sleeper = sleeper;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            // Plain http gets HTTP/1.1: an h2c upgrade header confuses some local servers.
            .version(
                "https".equalsIgnoreCase(endpoint.getScheme())
                    ? HttpClient.Version.HTTP_2
                    : HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  URI endpoint() {
    return endpoint;
  }

  /**
   * Embeds {@code texts} in one request (the caller keeps it within the batch size).
   *
   * @param dimension the expected vector length, or 0 to accept the first vector's
   * @throws HotMemException.EmbeddingFailed naming the model, the endpoint and what went wrong
   */
  List<float[]> embed(List<String> texts, int dimension) {
    HttpRequest request = request(body(texts));
    String last = null;
    for (int attempt = 0; ; attempt++) {
      Duration retryAfter = null;
      byte[] answer;
      HttpResponse<byte[]> response;
      try {
        response = send(request, texts.size(), dimension);
      } catch (LimitedBody.TooLarge e) {
        throw failure(e.getMessage(), null);
      } catch (HttpTimeoutException | TimeoutException e) {
        response = null;
        last = "no complete answer within " + settings.timeout().toMillis() + " ms";
      } catch (IOException e) {
        response = null;
        last = "cannot reach the server: " + e;
      }
      if (response != null) {
        int status = response.statusCode();
        answer = response.body();
        if (status >= 200 && status < 300) {
          try {
            return EmbeddingsResponse.parse(answer, texts.size(), dimension);
          } catch (EmbeddingsResponse.BadAnswer e) {
            throw failure(e.getMessage(), null);
          }
        }
        String serverMessage = EmbeddingsResponse.errorMessage(answer);
        String said =
            "HTTP "
                + status
                + (serverMessage != null
                    ? ": " + serverMessage
                    : " (" + EmbeddingsResponse.excerpt(answer) + ")");
        if (status != 429 && status < 500) {
          throw failure(said + hint(status), null);
        }
        last = said;
        retryAfter = retryAfter(response);
        if (retryAfter != null && retryAfter.compareTo(MAX_RETRY_AFTER) > 0) {
          throw failure(
              said
                  + "; the server asks to retry after "
                  + retryAfter.toSeconds()
                  + " s, longer than HotMem waits ("
                  + MAX_RETRY_AFTER.toSeconds()
                  + " s): try again later",
              null);
        }
      }
      if (attempt >= settings.maxRetries()) {
        throw failure(
            last
                + (settings.maxRetries() > 0
                    ? " (after " + (attempt + 1) + " attempts)"
                    : " (retries are off)"),
            null);
      }
      Duration wait = retryAfter != null ? retryAfter : backoff(attempt);
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("interrupted while waiting to retry after: " + last, e);
      }
    }
  }

  private HttpResponse<byte[]> send(HttpRequest request, int count, int dimension)
      throws IOException, TimeoutException {
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(
            request,
            info ->
                new LimitedBody(bodyLimit(count, dimension))
                    .because(", more than the embeddings asked for"));
    try {
      // The request timeout bounds the headers; this bounds the body too (plus a grace for the
      // headers' own timeout to fire first and give its clearer exception).
      return future.get(settings.timeout().toMillis() + 250, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw failure("interrupted while waiting for the server", e);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof LimitedBody.TooLarge tooLarge) {
        throw tooLarge;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(String.valueOf(cause), cause);
    }
  }

  /**
   * The most bytes a correct answer for {@code count} texts can take: about 24 bytes per number
   * ({@code -0.0123456789012345678,}) plus 1 MiB for the envelope; an unknown dimension (the probe)
   * is taken as {@link OpenAiSettings#MAX_DIMENSION}.
   */
  static long bodyLimit(int count, int dimension) {
    long dim = dimension > 0 ? dimension : OpenAiSettings.MAX_DIMENSION;
    return (1L << 20) + (long) count * dim * 24;
  }

  private HttpRequest request(byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(endpoint)
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("User-Agent", "hotmem")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (settings.apiKey() != null) {
      b.header("Authorization", "Bearer " + settings.apiKey());
    }
    return b.build();
  }

  private byte[] body(List<String> texts) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", settings.model());
    ArrayNode input = root.putArray("input");
    texts.forEach(input::add);
    root.put("encoding_format", "float");
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw failure("cannot write the request: " + e.getOriginalMessage(), e);
    }
  }

  private static String hint(int status) {
    return switch (status) {
      case 401, 403 ->
          "; the server refused the API key (set it with --embedder-key or HOTMEM_EMBEDDER_KEY)";
      case 404 -> "; check the base URL (--embedder-url) and the model name";
      default -> "";
    };
  }

  static Duration backoff(int attempt) {
    long max = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(attempt, 20));
    return Duration.ofMillis(max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1));
  }

  /** {@code Retry-After} as a wait: seconds, or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(HttpResponse<?> response) {
    String value = response.headers().firstValue("Retry-After").orElse(null);
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.chars().allMatch(Character::isDigit)) {
      return v.length() > 9 ? Duration.ofDays(365) : Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private HotMemException.EmbeddingFailed failure(String what, Throwable cause) {
    String message = "embedder openai:" + settings.model() + " at " + endpoint + ": " + what;
    if (settings.apiKey() != null) {
      // A server may echo the key back in its error; it must not reach logs or terminals.
      message = message.replace(settings.apiKey(), "***");
    }
    return new HotMemException.EmbeddingFailed(message, cause);
  }
}
