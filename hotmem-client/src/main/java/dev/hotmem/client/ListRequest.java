package dev.hotmem.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A page of memories ({@code GET /v1/memories}). Every field is optional; a null field is left out
 * of the query string and the server applies its default. Values are checked by the server.
 *
 * @param identifier only memories about this subject, or null
 * @param namespace the namespace to list ({@code default} when null)
 * @param limit page size, 1..1000 ({@code 100} when null)
 * @param offset how many matching memories to skip (0 when null)
 * @param order {@code asc} (oldest first) or {@code desc} (newest first, the default), or null
 */
public record ListRequest(
    String identifier, String namespace, Integer limit, Long offset, String order) {

  /** The server's default page: the newest 100 active memories of the default namespace. */
  public static ListRequest defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The query parameters, in wire names; null fields are left out. */
  Map<String, String> queryParameters() {
    Map<String, String> params = new LinkedHashMap<>();
    put(params, "identifier", identifier);
    put(params, "namespace", namespace);
    put(params, "limit", limit);
    put(params, "offset", offset);
    put(params, "order", order);
    return params;
  }

  private static void put(Map<String, String> params, String name, Object value) {
    if (value != null) {
      params.put(name, value.toString());
    }
  }

  /** Builds a {@link ListRequest}. Not thread-safe. */
  public static final class Builder {
    private String identifier;
    private String namespace;
    private Integer limit;
    private Long offset;
    private String order;

    private Builder() {}

    public Builder identifier(String identifier) {
      this.identifier = identifier;
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public Builder offset(long offset) {
      this.offset = offset;
      return this;
    }

    /** Oldest first. */
    public Builder ascending() {
      this.order = "asc";
      return this;
    }

    /** Newest first (the server's default). */
    public Builder descending() {
      this.order = "desc";
      return this;
    }

    public ListRequest build() {
      return new ListRequest(identifier, namespace, limit, offset, order);
    }
  }
}
