package dev.hotmem.facts;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemException;
import dev.hotmem.internal.facts.FactQueries;
import dev.hotmem.internal.facts.Facts;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Structured fact memory for an agent over a {@link HotMem} store: facts written in MEMORY_SPEC
 * notation ({@code V[srv.prod]: api.example.com:3005}), replaced by newer facts about the same
 * target, kept in a small hot tier (the status block injected at session start, within a token
 * budget) and an unlimited cold tier reached by search, grouped in scopes that close on their own.
 *
 * <pre>{@code
 * try (HotMem mem = HotMem.open(Path.of("memory.sqlite"));
 *     FactMemory facts = FactMemory.open(mem, FactConfig.defaults())) {
 *   facts.write("V[srv.prod]: api.example.com:3005", "deploy");
 *   facts.tick(1, "the deploy is done");
 *   System.out.println(facts.status().block());
 * }
 * }</pre>
 *
 * <p>Facts are ordinary memories: {@code kind} is the type's {@link FactType#wire() wire name},
 * {@code identifier} the target, {@code scope} the scope and {@code content} the line as written,
 * so recall, the HTTP API and swap files see them. A replaced fact gets status {@code superseded}
 * and {@code superseded_by}; it stays readable through {@link #reflect} and {@link #asOf}.
 *
 * <p><b>Thread-safety and processes.</b> Safe for any number of threads. Every tier, scope counter
 * and tick is kept in the store, changed in SQLite transactions, so several {@code FactMemory}
 * instances on one file (in one process or several) see one state and lose no write.
 *
 * <p><b>Errors.</b> Methods throw {@link HotMemException} subclasses; bad arguments are {@link
 * HotMemException.InvalidRequest} naming the field.
 */
public final class FactMemory implements AutoCloseable {
  /** The scope of writes that name none; it never closes by itself (only {@code ✓[global]}). */
  public static final String DEFAULT_SCOPE = Facts.DEFAULT_SCOPE;

  /** The most facts {@link #search} returns. */
  public static final int MAX_SEARCH_LIMIT = FactQueries.MAX_SEARCH;

  /** The most entries {@link #reflect} returns. */
  public static final int MAX_REFLECT_LIMIT = FactQueries.MAX_REFLECT;

  private final Facts facts;
  private final FactQueries queries;
  private final FactConfig config;

  private FactMemory(HotMem mem, FactConfig config) {
    this.config = config;
    this.facts = new Facts(mem, config);
    this.queries = new FactQueries(facts);
  }

  /**
   * A fact memory over {@code mem}. Closing it does not close {@code mem}.
   *
   * @throws HotMemException.InvalidRequest if the cap leaves no room for the block's header
   */
  public static FactMemory open(HotMem mem, FactConfig config) {
    return new FactMemory(
        Objects.requireNonNull(mem, "mem"), Objects.requireNonNull(config, "config"));
  }

  /** The configuration. */
  public FactConfig config() {
    return config;
  }

  /**
   * Stores a fact. Notation lines get their type and target; any other text is stored as a plain
   * fact. A constraint, decision or value replaces the current one of the same type for the same
   * target and scope; a value or decision answers the open question ({@code ?[t]}) for its target;
   * {@code ~[t]} makes the current facts for {@code t} obsolete (in this scope, or in any scope if
   * this one has none); {@code ✓[s]} closes scope {@code s} (and is stored in it). Then pressure is
   * relieved if needed.
   *
   * @param content the line, not blank, at most 100,000 chars
   * @param scope the unit of work, or null for {@value #DEFAULT_SCOPE}; stored in lower case
   * @throws HotMemException.InvalidRequest if {@code content} is blank or too long, or {@code
   *     scope} is too long or holds control characters
   */
  public FactWrite write(String content, String scope) {
    return facts.write(content, scope);
  }

  /**
   * Current facts (hot, cold and archived) most relevant to {@code query}, best first, by the
   * store's hybrid recall.
   *
   * @param scope only facts of this scope, or null for all
   * @param limit 1..{@value #MAX_SEARCH_LIMIT}
   * @throws HotMemException.InvalidRequest if the query is blank or {@code limit} out of range
   */
  public List<Fact> search(String query, String scope, int limit) {
    return queries.search(query, scope, limit);
  }

  /**
   * Advances the scope lifecycle by one user turn: closes scopes on a closing signal in {@code
   * message}, after {@link FactConfig#idleTicksToClose()} ticks without a reference, or after
   * {@link FactConfig#foreignTicksToClose()} ticks whose writes all went elsewhere; then relieves
   * pressure. Idempotent: a turn ticked before (or older than the last one) changes nothing.
   *
   * @param turn the turn number, {@code >= 0}
   * @param message the user's message, or null
   * @throws HotMemException.InvalidRequest if {@code turn} is negative or the message too long
   */
  public TickResult tick(long turn, String message) {
    return facts.tick(turn, message);
  }

  /** The status block and the tiers' state. Reads only. */
  public FactStatus status() {
    return facts.status();
  }

  /**
   * The history of a topic, oldest first, with what replaced what: the facts of the target it
   * names, or else of the scope it names, or else of the targets a search for it finds.
   *
   * @param limit the newest {@code limit} entries, 1..{@value #MAX_REFLECT_LIMIT}
   * @throws HotMemException.InvalidRequest if the topic is blank or {@code limit} out of range
   */
  public List<FactHistory> reflect(String topic, int limit) {
    return queries.reflect(topic, limit);
  }

  /**
   * The fact that was current for {@code target} at {@code when}: written by then and not replaced
   * or made obsolete by then (its status now may be anything but forgotten).
   *
   * @param scope only that scope, or null for any
   * @throws HotMemException.InvalidRequest if {@code target} is blank or {@code when} null
   */
  public Optional<Fact> asOf(String target, String scope, Instant when) {
    return queries.asOf(target, scope, when);
  }

  /**
   * The facts as plain notation, one line each, oldest first.
   *
   * @param scope only that scope, or null for all
   * @param status {@code current} when null (active and archived), or {@code active}, {@code hot},
   *     {@code cold}, {@code archived}, {@code superseded}, {@code all}
   * @throws HotMemException.InvalidRequest if {@code status} is none of those
   */
  public String export(String scope, String status) {
    return queries.export(scope, status);
  }

  /**
   * Erases for good the facts no longer needed: superseded, archived and closed-scope facts,
   * restricted to {@code scope} and to facts older than {@code olderThanDays} days when given.
   * Current facts of open scopes are never erased. Erased facts leave history too.
   *
   * @param olderThanDays 0..36500, or null for any age
   * @throws HotMemException.InvalidRequest if {@code olderThanDays} is out of range
   */
  public PurgeResult purge(String scope, Integer olderThanDays) {
    return queries.purge(scope, olderThanDays);
  }

  /** Does nothing: a fact memory holds no resources of its own; the {@link HotMem} stays open. */
  @Override
  public void close() {}
}
