package dev.hotmem.client;

import java.util.Map;
import java.util.Objects;

/**
 * A memory to add ({@code POST /v1/add}, or one item of {@code POST /v1/add/batch}). Every field
 * but {@code fact} is optional; a null field is left out of the request and the server applies its
 * default. Values are checked by the server (one set of rules), which answers {@link
 * HotMemClientException.InvalidRequest} naming the field.
 *
 * @param identifier the subject the fact is about ({@code general} when null)
 * @param fact the fact text; required
 * @param importance in [0, 1] ({@code 0.5} when null)
 * @param source provenance (a tool, a file, a URL), or null
 * @param metadata a JSON object (strings, numbers, booleans, nulls, lists, maps), or null
 * @param ttlSeconds time to live in seconds, positive, or null for a memory that never expires
 * @param namespace isolation unit ({@code default} when null)
 * @param category free-text category, or null
 * @param kind kind of memory ({@code fact} when null)
 * @param scope unit of work, or null
 * @param context the text the fact answers or follows (a question, the previous turn of a
 *     conversation), or null; the server searches and embeds it with the fact
 */
public record AddRequest(
    String identifier,
    String fact,
    Double importance,
    String source,
    Map<String, Object> metadata,
    Long ttlSeconds,
    String namespace,
    String category,
    String kind,
    String scope,
    String context) {

  public AddRequest {
    Objects.requireNonNull(fact, "fact");
    metadata = metadata == null ? null : Wire.copyOf(metadata);
  }

  /** A fact about {@code identifier} with every other field at the server's default. */
  public static AddRequest of(String identifier, String fact) {
    return builder(identifier, fact).build();
  }

  public static Builder builder(String identifier, String fact) {
    return new Builder(identifier, fact);
  }

  /** Builds an {@link AddRequest}. Not thread-safe. */
  public static final class Builder {
    private final String identifier;
    private final String fact;
    private Double importance;
    private String source;
    private Map<String, Object> metadata;
    private Long ttlSeconds;
    private String namespace;
    private String category;
    private String kind;
    private String scope;
    private String context;

    private Builder(String identifier, String fact) {
      this.identifier = identifier;
      this.fact = fact;
    }

    public Builder importance(double importance) {
      this.importance = importance;
      return this;
    }

    public Builder source(String source) {
      this.source = source;
      return this;
    }

    public Builder metadata(Map<String, Object> metadata) {
      this.metadata = metadata;
      return this;
    }

    public Builder ttlSeconds(long ttlSeconds) {
      this.ttlSeconds = ttlSeconds;
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

    public Builder context(String context) {
      this.context = context;
      return this;
    }

    public AddRequest build() {
      return new AddRequest(
          identifier,
          fact,
          importance,
          source,
          metadata,
          ttlSeconds,
          namespace,
          category,
          kind,
          scope,
          context);
    }
  }
}
