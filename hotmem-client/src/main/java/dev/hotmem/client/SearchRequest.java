package dev.hotmem.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A search ({@code POST /v1/search}). Every field but {@code query} is optional; a null field is
 * left out and the server applies its default. Values are checked by the server, which answers
 * {@link HotMemClientException.InvalidRequest} naming the field.
 *
 * @param query what to look for, in natural language; required
 * @param topK most memories to return, 1..100 ({@code 5} when null)
 * @param maxChars hard cap on the summed length of the returned contents, or null
 * @param maxTokens hard cap on the summed token count of the returned contents, or null
 * @param identifier only memories about this subject, or null
 * @param namespace the namespace to search ({@code default} when null)
 * @param category only memories in this category, or null
 * @param kind only memories of this kind, or null
 * @param scope only memories in this scope, or null
 * @param status only memories in one of these states ({@code active}, {@code superseded}, {@code
 *     archived}); null or empty = active only
 * @param createdAfter only memories created strictly after this instant, or null
 * @param createdBefore only memories created strictly before this instant, or null
 * @param minScore drop results whose score is below this, in [0, 1], or null
 */
public record SearchRequest(
    String query,
    Integer topK,
    Integer maxChars,
    Integer maxTokens,
    String identifier,
    String namespace,
    String category,
    String kind,
    String scope,
    List<String> status,
    Instant createdAfter,
    Instant createdBefore,
    Double minScore) {

  public SearchRequest {
    Objects.requireNonNull(query, "query");
    status = status == null || status.isEmpty() ? null : List.copyOf(status);
  }

  /** A search for {@code query} with every other field at the server's default. */
  public static SearchRequest of(String query) {
    return builder(query).build();
  }

  public static Builder builder(String query) {
    return new Builder(query);
  }

  /** Builds a {@link SearchRequest}. Not thread-safe. */
  public static final class Builder {
    private final String query;
    private Integer topK;
    private Integer maxChars;
    private Integer maxTokens;
    private String identifier;
    private String namespace;
    private String category;
    private String kind;
    private String scope;
    private List<String> status;
    private Instant createdAfter;
    private Instant createdBefore;
    private Double minScore;

    private Builder(String query) {
      this.query = query;
    }

    public Builder topK(int topK) {
      this.topK = topK;
      return this;
    }

    public Builder maxChars(int maxChars) {
      this.maxChars = maxChars;
      return this;
    }

    public Builder maxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder identifier(String identifier) {
      this.identifier = identifier;
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder category(String category) {
      this.category = category;
      return this;
    }

    public Builder kind(String kind) {
      this.kind = kind;
      return this;
    }

    public Builder scope(String scope) {
      this.scope = scope;
      return this;
    }

    /** Only memories in one of these states, for example {@code status("active", "archived")}. */
    public Builder status(String... status) {
      this.status = List.of(status);
      return this;
    }

    public Builder createdAfter(Instant createdAfter) {
      this.createdAfter = createdAfter;
      return this;
    }

    public Builder createdBefore(Instant createdBefore) {
      this.createdBefore = createdBefore;
      return this;
    }

    public Builder minScore(double minScore) {
      this.minScore = minScore;
      return this;
    }

    public SearchRequest build() {
      return new SearchRequest(
          query,
          topK,
          maxChars,
          maxTokens,
          identifier,
          namespace,
          category,
          kind,
          scope,
          status,
          createdAfter,
          createdBefore,
          minScore);
    }
  }
}
