package dev.hotmem;

import dev.hotmem.HotMemException.InvalidRequest;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which memories an operation sees. Every field but {@code namespace} and {@code statuses} is
 * optional (null = no constraint). Expired memories are never seen, whatever the filter.
 *
 * @param namespace the namespace to look in; {@value NewMemory#DEFAULT_NAMESPACE} when not given
 * @param identifier only memories about this subject
 * @param category only memories in this category
 * @param kind only memories of this kind
 * @param scope only memories in this scope
 * @param statuses only memories in one of these states; {@code {ACTIVE}} when not given. {@link
 *     MemoryStatus#FORGOTTEN} is refused: forgotten memories are excluded everywhere.
 * @param createdAfter only memories created strictly after this instant
 * @param createdBefore only memories created strictly before this instant
 */
public record MemoryFilter(
    String namespace,
    String identifier,
    String category,
    String kind,
    String scope,
    Set<MemoryStatus> statuses,
    Instant createdAfter,
    Instant createdBefore) {

  private static final MemoryFilter DEFAULT = builder().build();

  public MemoryFilter {
    namespace =
        namespace == null
            ? NewMemory.DEFAULT_NAMESPACE
            : Limits.requireLabel("namespace", namespace, Limits.MAX_NAMESPACE_CHARS);
    identifier = Limits.optionalLabel("identifier", identifier, Limits.MAX_IDENTIFIER_CHARS);
    category = Limits.optionalLabel("category", category, Limits.MAX_LABEL_CHARS);
    kind = Limits.optionalLabel("kind", kind, Limits.MAX_LABEL_CHARS);
    scope = Limits.optionalLabel("scope", scope, Limits.MAX_LABEL_CHARS);
    if (statuses == null || statuses.isEmpty()) {
      statuses = Set.of(MemoryStatus.ACTIVE);
    } else {
      if (statuses.contains(MemoryStatus.FORGOTTEN)) {
        throw new InvalidRequest(
            "status", "forgotten memories are excluded everywhere and cannot be queried");
      }
      statuses = Set.copyOf(EnumSet.copyOf(statuses));
    }
    if (createdAfter != null && createdBefore != null && !createdAfter.isBefore(createdBefore)) {
      throw new InvalidRequest(
          "created_after",
          "must be before created_before; found " + createdAfter + " >= " + createdBefore);
    }
  }

  /** Active memories of the default namespace. */
  public static MemoryFilter defaults() {
    return DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MemoryFilter}; validation happens in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private String namespace;
    private String identifier;
    private String category;
    private String kind;
    private String scope;
    private Set<MemoryStatus> statuses;
    private Instant createdAfter;
    private Instant createdBefore;

    private Builder() {}

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder identifier(String identifier) {
      this.identifier = identifier;
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

    public Builder statuses(Set<MemoryStatus> statuses) {
      this.statuses = statuses;
      return this;
    }

    public Builder status(MemoryStatus first, MemoryStatus... more) {
      this.statuses = EnumSet.of(first, more);
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

    public MemoryFilter build() {
      return new MemoryFilter(
          namespace, identifier, category, kind, scope, statuses, createdAfter, createdBefore);
    }
  }
}
