package dev.hotmem.index;

/**
 * One result of a vector search.
 *
 * @param key the entry's key
 * @param cosine cosine similarity to the query, in [-1, 1] (the dot product of two unit vectors)
 */
public record VectorHit(long key, float cosine) {}
