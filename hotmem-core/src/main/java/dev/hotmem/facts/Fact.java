package dev.hotmem.facts;

import dev.hotmem.MemoryStatus;
import java.time.Instant;

/**
 * One fact as stored: a memory written through {@link FactMemory#write}, read with its tier.
 *
 * @param id the memory id (a ULID)
 * @param type the fact's type
 * @param target the dotted key it is about ({@value ParsedFact#PLAIN_TARGET} for plain facts)
 * @param scope the unit of work it belongs to
 * @param text the part after the colon (the whole line for plain facts)
 * @param line the line as written, in notation ({@code V[srv.prod]: api.example.com:3005})
 * @param tier {@code hot} (in the status block), {@code cold} (reached by search) or {@code
 *     archived} (its scope closed under pressure)
 * @param status the memory's status: {@code active} while current, {@code superseded} once replaced
 *     or made obsolete, {@code archived} when archived
 * @param supersededBy the id of the fact that replaced it, or null
 * @param createdAt when it was written
 * @param score search relevance in [0, 1], higher is better, for results of {@link
 *     FactMemory#search}; 0 elsewhere
 */
public record Fact(
    String id,
    FactType type,
    String target,
    String scope,
    String text,
    String line,
    String tier,
    MemoryStatus status,
    String supersededBy,
    Instant createdAt,
    double score) {

  /** Tier of the facts injected at session start. */
  public static final String HOT = "hot";

  /** Tier of the facts reached by search only. */
  public static final String COLD = "cold";

  /** Tier of the facts of closed scopes set aside under pressure. */
  public static final String ARCHIVED = "archived";

  /** Whether the fact is current (neither superseded nor made obsolete). */
  public boolean current() {
    return status == MemoryStatus.ACTIVE || status == MemoryStatus.ARCHIVED;
  }

  /** This fact with another score. */
  public Fact withScore(double newScore) {
    return new Fact(
        id, type, target, scope, text, line, tier, status, supersededBy, createdAt, newScore);
  }
}
