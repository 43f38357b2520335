package dev.hotmem.internal.index;

import java.util.function.LongPredicate;

/**
 * A {@link dev.hotmem.index.VectorFilter} translated to the index's interned ids.
 *
 * @param namespaceId the namespace's id (never {@link VectorBlock#FREE})
 * @param identifierId the identifier's id, or {@link #ANY}
 * @param statusMask bit {@code ordinal} set for each accepted status
 * @param allowedKeys the filter's key predicate, or null
 */
record ResolvedFilter(
    int namespaceId, int identifierId, int statusMask, LongPredicate allowedKeys) {
  /** The identifier id that accepts every identifier. */
  static final int ANY = -1;
}
