package dev.hotmem.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client for the HotMem HTTP sidecar ({@code hotmem serve}), on the JDK's {@code HttpClient}.
 *
 * <pre>{@code
 * try (HotMemClient client = HotMemClient.create("http://127.0.0.1:8711")) {
 *   client.add(AddRequest.builder("vendor_x", "Invoice total $5000").importance(0.8).build());
 *   SearchResult found = client.search(SearchRequest.builder("duplicate invoice risk")
 *       .topK(5).maxChars(1500).build());
 *   found.memories().forEach(m -> System.out.println(m.score() + " " + m.content()));
 * }
 * }</pre>
 *
 * <p>Thread-safe: one client can serve every thread of an application. Every method is one HTTP
 * request and throws {@link HotMemClientException} (a typed subclass per failure) when it fails;
 * after {@link #close()} every method throws {@link IllegalStateException}.
 */
public final class HotMemClient implements AutoCloseable {
  /** Where {@code hotmem serve} listens by default. */
  public static final String DEFAULT_URL = "http://127.0.0.1:8711";

  /** Per-request timeout unless {@link Builder#timeout(Duration)} says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Timeout for hydrate and snapshot, which may stream a large file. */
  public static final Duration DEFAULT_SWAP_TIMEOUT = Duration.ofMinutes(30);

  private static final Map<Class<?>, String> REQUIRED_FIELD =
      Map.of(
          Health.class, "status",
          StoredMemory.class, "memory_id",
          SearchResult.class, "memories",
          MemoryPage.class, "memories",
          BatchResult.class, "memory_ids",
          HydrateResult.class, "loaded",
          SnapshotResult.class, "exported");

  private final Transport transport;
  private final Duration timeout;
  private final Duration swapTimeout;

  private HotMemClient(Builder builder) {
    this.timeout = builder.timeout;
    this.swapTimeout = builder.swapTimeout;
    Duration connectTimeout =
        builder.connectTimeout == null ? builder.timeout : builder.connectTimeout;
    this.transport = new Transport(builder.baseUrl, builder.token, connectTimeout);
  }

  /** A client for the server at {@code baseUrl} with no token and the default timeouts. */
  public static HotMemClient create(String baseUrl) {
    return builder(baseUrl).build();
  }

  /**
   * A builder for a client of the server at {@code baseUrl}, for example {@code
   * http://127.0.0.1:8711} (a path prefix such as {@code https://host/hotmem} is kept).
   */
  public static Builder builder(String baseUrl) {
    return new Builder(baseUrl);
  }

  /** The server's base URL, without a trailing slash. */
  public String baseUrl() {
    return transport.baseUrl();
  }

  /** {@code GET /v1/health}: whether the server serves, and what. */
  public Health health() {
    return read(get("/v1/health", Map.of()), Health.class);
  }

  /** {@code POST /v1/add} of a fact about {@code identifier}, every other field at its default. */
  public AddResult add(String identifier, String fact) {
    return add(AddRequest.of(identifier, fact));
  }

  /**
   * {@code POST /v1/add}: stores one memory. When an active memory with the same namespace,
   * identifier and content exists, it is returned instead with {@code duplicate() == true}.
   */
  public AddResult add(AddRequest request) {
    Objects.requireNonNull(request, "request");
    Transport.Answer answer = post("/v1/add", request, timeout);
    JsonNode tree = readTree(answer, StoredMemory.class);
    StoredMemory memory = convert(answer, tree, StoredMemory.class);
    JsonNode duplicate = tree.get("duplicate");
    boolean isDuplicate =
        duplicate != null && duplicate.isBoolean()
            ? duplicate.booleanValue()
            : answer.status() == 200;
    return new AddResult(memory, isDuplicate);
  }

  /** {@code POST /v1/add/batch}: stores many memories in one transaction, all or nothing. */
  public BatchResult addBatch(List<AddRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    return read(
        post("/v1/add/batch", Map.of("memories", List.copyOf(requests)), timeout),
        BatchResult.class);
  }

  /** {@code POST /v1/search} for {@code query} with the server's defaults (top 5). */
  public SearchResult search(String query) {
    return search(SearchRequest.of(query));
  }

  /** {@code POST /v1/search}: the best memories for the query, as LLM-ready messages. */
  public SearchResult search(SearchRequest request) {
    Objects.requireNonNull(request, "request");
    return read(post("/v1/search", request, timeout), SearchResult.class);
  }

  /** {@code GET /v1/memories} with the server's defaults: the newest active memories. */
  public MemoryPage list() {
    return list(ListRequest.defaults());
  }

  /** {@code GET /v1/memories}: one page of memories in creation order. */
  public MemoryPage list(ListRequest request) {
    Objects.requireNonNull(request, "request");
    return read(get("/v1/memories", request.queryParameters()), MemoryPage.class);
  }

  /**
   * {@code GET /v1/memory/{id}}.
   *
   * @throws HotMemClientException.NotFound when no visible memory has that id
   */
  public StoredMemory get(String memoryId) {
    return read(get(memoryPath(memoryId), Map.of()), StoredMemory.class);
  }

  /**
   * {@code PATCH /v1/memory/{id}}: changes importance, metadata or category.
   *
   * @return the memory after the change
   * @throws HotMemClientException.NotFound when no visible memory has that id
   */
  public StoredMemory update(String memoryId, UpdateRequest update) {
    Objects.requireNonNull(update, "update");
    return read(
        transport.send("PATCH", memoryPath(memoryId), Map.of(), json(update), timeout),
        StoredMemory.class);
  }

  /**
   * {@code DELETE /v1/memory/{id}}: soft delete; the memory is invisible everywhere from now on.
   *
   * @throws HotMemClientException.NotFound when no visible memory has that id
   */
  public void forget(String memoryId) {
    transport.send("DELETE", memoryPath(memoryId), Map.of(), null, timeout);
  }

  /**
   * {@code DELETE /v1/memory/{id}?purge=true}: erases the memory from the store for good.
   *
   * @throws HotMemClientException.NotFound when no memory has that id
   */
  public void purge(String memoryId) {
    transport.send("DELETE", memoryPath(memoryId), Map.of("purge", "true"), null, timeout);
  }

  /** {@code POST /v1/hydrate} from the server's default swap file (the mount's swap.jsonl). */
  public HydrateResult hydrate() {
    return hydrate(HydrateRequest.of(null));
  }

  /** {@code POST /v1/hydrate} from {@code file}, resolved inside the server's file root. */
  public HydrateResult hydrate(String file) {
    return hydrate(HydrateRequest.of(file));
  }

  /**
   * {@code POST /v1/hydrate}: loads a JSONL swap file ({@code .jsonl} or {@code .jsonl.gz}) into
   * the store, skipping memories already stored. Waits up to the swap timeout.
   *
   * @throws HotMemClientException.NotFound when the file does not exist
   * @throws HotMemClientException.InvalidRequest for a malformed line (field {@code file}) or a
   *     path outside the server's file root
   */
  public HydrateResult hydrate(HydrateRequest request) {
    Objects.requireNonNull(request, "request");
    return read(post("/v1/hydrate", request, swapTimeout), HydrateResult.class);
  }

  /** {@code POST /v1/snapshot} to the server's default swap file (the mount's swap.jsonl). */
  public SnapshotResult snapshot() {
    return snapshot(SnapshotRequest.of(null));
  }

  /** {@code POST /v1/snapshot} to {@code file}, resolved inside the server's file root. */
  public SnapshotResult snapshot(String file) {
    return snapshot(SnapshotRequest.of(file));
  }

  /**
   * {@code POST /v1/snapshot}: writes every memory to a JSONL swap file. Waits up to the swap
   * timeout.
   *
   * @throws HotMemClientException.InvalidRequest for a path outside the server's file root
   */
  public SnapshotResult snapshot(SnapshotRequest request) {
    Objects.requireNonNull(request, "request");
    return read(post("/v1/snapshot", request, swapTimeout), SnapshotResult.class);
  }

  /**
   * Releases the client's connections (on JDK 21+ after in-flight requests finish). Idempotent;
   * later calls of any other method throw {@link IllegalStateException}.
   */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "HotMemClient[" + transport.baseUrl() + (transport.isClosed() ? ", closed]" : "]");
  }

  private static String memoryPath(String memoryId) {
    Objects.requireNonNull(memoryId, "memoryId");
    if (memoryId.isBlank()) {
      throw new IllegalArgumentException("memoryId must not be blank");
    }
    return "/v1/memory/" + Wire.pathSegment(memoryId);
  }

  private Transport.Answer get(String path, Map<String, String> query) {
    return transport.send("GET", path, query, null, timeout);
  }

  private Transport.Answer post(String path, Object body, Duration requestTimeout) {
    return transport.send("POST", path, Map.of(), json(body), requestTimeout);
  }

  private static byte[] json(Object body) {
    try {
      return Wire.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // Only metadata can hold arbitrary objects; anything Jackson cannot write is the caller's.
      throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
    }
  }

  private <T> T read(Transport.Answer answer, Class<T> type) {
    return convert(answer, readTree(answer, type), type);
  }

  /**
   * The answer as a JSON object that has the one field every answer of its type has (so that a JSON
   * answer from something else, at the wrong URL, is not read as an empty result).
   */
  private JsonNode readTree(Transport.Answer answer, Class<?> type) {
    String expected = "a JSON object (" + type.getSimpleName() + ")";
    JsonNode tree;
    try {
      tree = Wire.MAPPER.readTree(answer.body());
    } catch (IOException e) {
      throw invalid(answer, "expected " + expected, e);
    }
    if (tree == null || !tree.isObject()) {
      throw invalid(answer, "expected " + expected, null);
    }
    String required = REQUIRED_FIELD.get(type);
    if (required != null && !tree.hasNonNull(required)) {
      throw invalid(answer, "expected " + expected + " with \"" + required + "\"", null);
    }
    return tree;
  }

  private <T> T convert(Transport.Answer answer, JsonNode tree, Class<T> type) {
    try {
      return Wire.MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw invalid(
          answer, "cannot read it as " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  private HotMemClientException invalid(Transport.Answer answer, String what, Throwable cause) {
    return new HotMemClientException.InvalidResponse(
        answer.status(),
        answer.traceId(),
        "the server at "
            + transport.baseUrl()
            + " answered HTTP "
            + answer.status()
            + " with a body the client cannot read: "
            + what
            + "; found "
            + Transport.snippet(answer.body())
            + " (is this a HotMem server?)",
        cause);
  }

  /** Builds a {@link HotMemClient}; the configuration is checked once, in {@link #build()}. */
  public static final class Builder {
    private final String baseUrl;
    private String token;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration connectTimeout;
    private Duration swapTimeout = DEFAULT_SWAP_TIMEOUT;

    private Builder(String baseUrl) {
      this.baseUrl = baseUrl;
    }

    /** The bearer token the server was started with ({@code --token}), or null for none. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** How long to wait for each answer (default 10 s); also the connect timeout unless set. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** How long to wait for a connection (default: the {@link #timeout(Duration)}). */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** How long to wait for hydrate and snapshot (default 30 min). */
    public Builder swapTimeout(Duration swapTimeout) {
      this.swapTimeout = swapTimeout;
      return this;
    }

    /**
     * The client.
     *
     * @throws IllegalArgumentException for a URL that is not {@code http(s)://host[:port][/path]},
     *     a blank token or one with control characters, or a timeout that is not positive
     */
    public HotMemClient build() {
      return new HotMemClient(new Builder(this));
    }

    private Builder(Builder from) {
      this.baseUrl = normalizeUrl(from.baseUrl);
      this.token = checkToken(from.token);
      this.timeout = positive("timeout", from.timeout);
      this.connectTimeout =
          from.connectTimeout == null ? null : positive("connectTimeout", from.connectTimeout);
      this.swapTimeout = positive("swapTimeout", from.swapTimeout);
    }

    private static String normalizeUrl(String url) {
      Objects.requireNonNull(url, "baseUrl");
      URI uri;
      try {
        uri = new URI(url.strip());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "baseUrl is not a URL: " + url + " (" + e.getReason() + ")", e);
      }
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "baseUrl must be http://host[:port] or https://host[:port]; found " + url);
      }
      if (uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "baseUrl must not carry a query, fragment or user info; found " + url);
      }
      String normalized = uri.toString();
      while (normalized.endsWith("/")) {
        normalized = normalized.substring(0, normalized.length() - 1);
      }
      return normalized;
    }

    private static String checkToken(String token) {
      if (token == null) {
        return null;
      }
      if (token.isBlank()) {
        throw new IllegalArgumentException("token must not be blank (use null for no token)");
      }
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        if (c < 0x21 || c > 0x7e) {
          throw new IllegalArgumentException(
              "token may hold only visible ASCII characters; found U+"
                  + String.format("%04X", (int) c)
                  + " at index "
                  + i);
        }
      }
      return token;
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive; found " + value);
      }
      return value;
    }
  }
}
