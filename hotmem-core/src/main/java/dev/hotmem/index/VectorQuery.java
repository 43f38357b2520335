package dev.hotmem.index;

import java.util.Objects;

/**
 * One search of a {@link VectorIndex#searchAll batch}: the same arguments as {@link
 * VectorIndex#search}.
 *
 * @param vector an L2-normalised vector of the index's dimension
 * @param k at least 1
 * @param filter which entries may be returned
 */
public record VectorQuery(float[] vector, int k, VectorFilter filter) {
  public VectorQuery {
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(filter, "filter");
  }
}
