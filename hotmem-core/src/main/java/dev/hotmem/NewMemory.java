package dev.hotmem;

import dev.hotmem.HotMemException.InvalidRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A memory to store. Validated on construction, so an instance is always storable.
 *
 * @param namespace isolation unit; {@value #DEFAULT_NAMESPACE} when not given
 * @param identifier the subject the fact is about; {@value #DEFAULT_IDENTIFIER} when not given
 * @param content the fact text (at most {@link Limits#MAX_CONTENT_CHARS} chars)
 * @param kind {@value #DEFAULT_KIND} when not given
 * @param importance in [0, 1]; {@value #DEFAULT_IMPORTANCE} when not given
 * @param category free text, or null
 * @param scope unit of work, or null
 * @param source provenance, or null
 * @param metadata a JSON object (strings, numbers, booleans, nulls, lists, maps); never null
 * @param ttl time to live, or null for a memory that never expires; positive when given
 * @param context the text the memory answers or follows (the question it answers, the previous turn
 *     of a conversation), or null; at most {@link Limits#MAX_CONTEXT_CHARS} chars. Keyword search
 *     weighs it below the content and the embedding covers both; it is not part of the duplicate
 *     check
 */
public record NewMemory(
    String namespace,
    String identifier,
    String content,
    String kind,
    double importance,
    String category,
    String scope,
    String source,
    Map<String, Object> metadata,
    Duration ttl,
    String context) {

  public static final String DEFAULT_NAMESPACE = "default";
  public static final String DEFAULT_IDENTIFIER = "general";
  public static final String DEFAULT_KIND = "fact";
  public static final double DEFAULT_IMPORTANCE = 0.5;

  public NewMemory {
    namespace =
        namespace == null
            ? DEFAULT_NAMESPACE
            : Limits.requireLabel("namespace", namespace, Limits.MAX_NAMESPACE_CHARS);
    identifier =
        identifier == null
            ? DEFAULT_IDENTIFIER
            : Limits.requireLabel("identifier", identifier, Limits.MAX_IDENTIFIER_CHARS);
    content = Limits.requireText("content", content, Limits.MAX_CONTENT_CHARS);
    kind = kind == null ? DEFAULT_KIND : Limits.requireLabel("kind", kind, Limits.MAX_LABEL_CHARS);
    importance = Limits.requireUnit("importance", importance);
    category = Limits.optionalLabel("category", category, Limits.MAX_LABEL_CHARS);
    scope = Limits.optionalLabel("scope", scope, Limits.MAX_LABEL_CHARS);
    source = Limits.optionalLabel("source", source, Limits.MAX_LABEL_CHARS);
    metadata = metadata == null ? Map.of() : metadata;
    context = Limits.optionalText("context", context, Limits.MAX_CONTEXT_CHARS);
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new InvalidRequest("ttl_seconds", "must be positive; found " + ttl.toSeconds());
    }
    if (ttl != null && ttl.getSeconds() > Limits.MAX_TTL_SECONDS) {
      throw new InvalidRequest(
          "ttl_seconds",
          "must be at most " + Limits.MAX_TTL_SECONDS + " (100 years); found " + ttl.getSeconds());
    }
  }

  /** A fact about {@code identifier} with every other field at its default. */
  public static NewMemory of(String identifier, String content) {
    return builder(identifier, content).build();
  }

  /** A fact with the default identifier and every other field at its default. */
  public static NewMemory of(String content) {
    return builder(DEFAULT_IDENTIFIER, content).build();
  }

  public static Builder builder(String identifier, String content) {
    return new Builder(identifier, content);
  }

  /** Builds a {@link NewMemory}; validation happens in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private String namespace;
    private final String identifier;
    private final String content;
    private String kind;
    private double importance = DEFAULT_IMPORTANCE;
    private String category;
    private String scope;
    private String source;
    private Map<String, Object> metadata;
    private Duration ttl;
    private String context;

    private Builder(String identifier, String content) {
      this.identifier = identifier;
      this.content = content;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder kind(String kind) {
      this.kind = kind;
      return this;
    }

    public Builder importance(double importance) {
      this.importance = importance;
      return this;
    }

    public Builder category(String category) {
      this.category = category;
      return this;
    }

    public Builder scope(String scope) {
      this.scope = scope;
      return this;
    }

    public Builder source(String source) {
      this.source = source;
      return this;
    }

    public Builder metadata(Map<String, Object> metadata) {
      this.metadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    /** The text this memory answers or follows; see {@link NewMemory#context()}. */
    public Builder context(String context) {
      this.context = context;
      return this;
    }

    public NewMemory build() {
      return new NewMemory(
          namespace,
          identifier,
          content,
          kind,
          importance,
          category,
          scope,
          source,
          metadata,
          ttl,
          context);
    }
  }
}
