package dev.hotmem.internal.embed;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of an {@link OpenAiEmbedder}, parsed and checked once from the provider's settings
 * map. {@link #toString()} never shows the key.
 *
 * @param baseUrl the API root, {@code http} or {@code https}, no trailing slash, for example {@code
 *     http://localhost:11434/v1}; requests go to {@code baseUrl + "/embeddings"}
 * @param model the model name sent to the server, as written
 * @param apiKey the bearer token, or null for servers that need none
 * @param timeout the limit for connecting and for each request's answer
 * @param batchSize texts per request, 1 to {@value #MAX_BATCH}
 * @param dimension the vector length if given, or 0 to learn it from one probe call
 * @param maxRetries how many times a request is retried after a 429, a 5xx or an I/O failure
 */
record OpenAiSettings(
    URI baseUrl,
    String model,
    String apiKey,
    Duration timeout,
    int batchSize,
    int dimension,
    int maxRetries) {

  static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  static final String DEFAULT_MODEL = "text-embedding-3-small";
  static final int DEFAULT_TIMEOUT_MS = 30_000;
  static final int MAX_TIMEOUT_MS = 600_000;
  static final int DEFAULT_BATCH = 64;

  /** OpenAI's limit of inputs per request. */
  static final int MAX_BATCH = 2048;

  static final int MAX_DIMENSION = 65_536;
  static final int DEFAULT_RETRIES = 4;
  static final int MAX_RETRIES = 10;

  static final String BASE_URL = "base_url";
  static final String API_KEY = "api_key";
  static final String TIMEOUT_MS = "timeout_ms";
  static final String BATCH_SIZE = "batch_size";
  static final String DIMENSION = "dimension";
  static final String RETRIES = "max_retries";

  /**
   * Parses the provider settings for {@code model}.
   *
   * @throws IllegalArgumentException naming the setting and what was expected
   */
  static OpenAiSettings parse(String model, Map<String, String> settings) {
    String url = blankToNull(settings.get(BASE_URL));
    String key = blankToNull(settings.get(API_KEY));
    if (key != null && key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      // A newline in a header value would let the key inject headers; never echo the key.
      throw new IllegalArgumentException("the embedder API key holds control characters");
    }
    return new OpenAiSettings(
        baseUrl(url == null ? DEFAULT_BASE_URL : url),
        model == null ? DEFAULT_MODEL : model,
        key,
        Duration.ofMillis(intSetting(settings, TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS)),
        intSetting(settings, BATCH_SIZE, DEFAULT_BATCH, 1, MAX_BATCH),
        intSetting(settings, DIMENSION, 0, 1, MAX_DIMENSION),
        intSetting(settings, RETRIES, DEFAULT_RETRIES, 0, MAX_RETRIES));
  }

  /** The endpoint, {@code <base_url>/embeddings}. */
  URI endpoint() {
    return URI.create(baseUrl + "/embeddings");
  }

  private static URI baseUrl(String text) {
    String t = text.strip();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(t);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "embedder base URL '" + printable(text) + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "embedder base URL '"
              + printable(text)
              + "' must be an http:// or https:// URL with a host, like http://localhost:11434/v1");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "embedder base URL '"
              + printable(text)
              + "' must not hold a query, a fragment or credentials (give the key as the API key)");
    }
    return uri;
  }

  private static int intSetting(
      Map<String, String> settings, String key, int absent, int min, int max) {
    String text = blankToNull(settings.get(key));
    if (text == null) {
      return absent;
    }
    int value;
    try {
      value = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      value = Integer.MIN_VALUE;
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "embedder setting "
              + key
              + " must be a whole number from "
              + min
              + " to "
              + max
              + ", found '"
              + printable(text)
              + "'");
    }
    return value;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** At most 100 characters of {@code s}, control characters replaced, for messages. */
  static String printable(String s) {
    String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
    StringBuilder b = new StringBuilder(t.length());
    t.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return b.toString();
  }

  @Override
  public String toString() {
    return "OpenAiSettings[base_url="
        + baseUrl
        + ", model="
        + model
        + ", api_key="
        + (apiKey == null ? "none" : "(set)")
        + ", timeout_ms="
        + timeout.toMillis()
        + ", batch_size="
        + batchSize
        + ", dimension="
        + dimension
        + ", max_retries="
        + maxRetries
        + "]";
  }
}
