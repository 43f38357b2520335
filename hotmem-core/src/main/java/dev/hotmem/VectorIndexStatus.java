package dev.hotmem;

/**
 * What answers the vector half of a recall right now, as {@link HotMem#vectorIndex()} reads it.
 *
 * <p>A store starts on exact search; past {@link HotMemConfig.Builder#annThreshold} entries a graph
 * index takes over. A large graph is built in the background (minutes at a million memories, when
 * the side-file is missing or stale), with exact search answering meanwhile: {@code building} says
 * so, and searches are slower until it ends.
 *
 * @param kind {@link Kind#EXACT} or {@link Kind#GRAPH}
 * @param entries vectors in the index (every status; what recall filters from)
 * @param building whether a graph is being built in the background (the kind is then exact)
 * @param searchBeam the graph's search beam at its current size; 0 for exact search
 */
public record VectorIndexStatus(Kind kind, int entries, boolean building, int searchBeam) {

  /** How vector candidates are found. */
  public enum Kind {
    /** Every vector is scored: exact, linear in the store's size. */
    EXACT,
    /** A JVector graph is searched: approximate, about logarithmic in the store's size. */
    GRAPH;

    /** The lower-case name the HTTP API and the CLI print ({@code exact}, {@code graph}). */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
