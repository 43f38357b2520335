package dev.hotmem;

import dev.hotmem.HotMemException.InvalidRequest;
import java.util.Objects;

/**
 * A ranked recall request. Validated on construction.
 *
 * @param text what to look for, in natural language (not blank, at most {@link
 *     Limits#MAX_QUERY_CHARS} chars). Any text is safe: it is never passed to SQLite as query
 *     syntax.
 * @param topK most memories to return, 1..{@value Limits#MAX_TOP_K}; {@value #DEFAULT_TOP_K} by
 *     default
 * @param maxChars hard cap on the summed length of returned {@code content}s, or null for none
 * @param maxTokens hard cap on the summed token count of returned {@code content}s (counted with
 *     the store's tokenizer), or null for none
 * @param minScore drop results whose final {@code score} is below this, in [0, 1]
 * @param filter which memories are eligible
 */
public record RecallQuery(
    String text,
    int topK,
    Integer maxChars,
    Integer maxTokens,
    double minScore,
    MemoryFilter filter) {

  public static final int DEFAULT_TOP_K = 5;

  public RecallQuery {
    if (text == null || text.isBlank()) {
      throw new InvalidRequest("query", "must not be empty");
    }
    if (text.length() > Limits.MAX_QUERY_CHARS) {
      throw new InvalidRequest(
          "query", "is " + text.length() + " chars long; the limit is " + Limits.MAX_QUERY_CHARS);
    }
    if (topK < 1 || topK > Limits.MAX_TOP_K) {
      throw new InvalidRequest(
          "top_k", "must be between 1 and " + Limits.MAX_TOP_K + "; found " + topK);
    }
    if (maxChars != null && maxChars < 0) {
      throw new InvalidRequest("max_chars", "must not be negative; found " + maxChars);
    }
    if (maxTokens != null && maxTokens < 0) {
      throw new InvalidRequest("max_tokens", "must not be negative; found " + maxTokens);
    }
    minScore = Limits.requireUnit("min_score", minScore);
    filter = filter == null ? MemoryFilter.defaults() : filter;
  }

  /** Top {@value #DEFAULT_TOP_K} active memories of the default namespace for {@code text}. */
  public static RecallQuery of(String text) {
    return builder(text).build();
  }

  public static Builder builder(String text) {
    return new Builder(text);
  }

  /** Builds a {@link RecallQuery}; validation happens in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private final String text;
    private int topK = DEFAULT_TOP_K;
    private Integer maxChars;
    private Integer maxTokens;
    private double minScore;
    private MemoryFilter filter;
    private final MemoryFilter.Builder filterBuilder = MemoryFilter.builder();
    private boolean filterFieldsSet;

    private Builder(String text) {
      this.text = text;
    }

    public Builder topK(int topK) {
      this.topK = topK;
      return this;
    }

    public Builder maxChars(Integer maxChars) {
      this.maxChars = maxChars;
      return this;
    }

    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder minScore(double minScore) {
      this.minScore = minScore;
      return this;
    }

    /** Uses a complete filter; do not combine with the per-field shortcuts below. */
    public Builder filter(MemoryFilter filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    public Builder namespace(String namespace) {
      filterFieldsSet = true;
      filterBuilder.namespace(namespace);
      return this;
    }

    public Builder identifier(String identifier) {
      filterFieldsSet = true;
      filterBuilder.identifier(identifier);
      return this;
    }

    public Builder category(String category) {
      filterFieldsSet = true;
      filterBuilder.category(category);
      return this;
    }

    public Builder scope(String scope) {
      filterFieldsSet = true;
      filterBuilder.scope(scope);
      return this;
    }

    public Builder kind(String kind) {
      filterFieldsSet = true;
      filterBuilder.kind(kind);
      return this;
    }

    public RecallQuery build() {
      if (filter != null && filterFieldsSet) {
        throw new IllegalStateException("use either filter(...) or the per-field shortcuts");
      }
      return new RecallQuery(
          text,
          topK,
          maxChars,
          maxTokens,
          minScore,
          filter != null ? filter : filterBuilder.build());
    }
  }
}
