package dev.hotmem.internal.facts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotmem.HotMem;
import dev.hotmem.HotMemException.InvalidRequest;
import dev.hotmem.Limits;
import dev.hotmem.NewMemory;
import dev.hotmem.facts.Fact;
import dev.hotmem.facts.FactConfig;
import dev.hotmem.facts.FactStatus;
import dev.hotmem.facts.FactType;
import dev.hotmem.facts.FactWrite;
import dev.hotmem.facts.ParsedFact;
import dev.hotmem.facts.TickResult;
import dev.hotmem.internal.engine.EngineAccess;
import dev.hotmem.internal.engine.MemoryEngine;
import dev.hotmem.internal.search.TokenCounter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fact layer's writes and status over one store: what {@link dev.hotmem.facts.FactMemory}
 * delegates to. Keeps no state of its own between calls (every counter and tier is in SQLite), so
 * several instances, in one process or several, share one store safely. Thread-safe.
 *
 * <p>Implementation notes. A write is one transaction: the engine stores the memory (embedded
 * before the transaction begins) and, in the same transaction, the fact layer records its tier,
 * opens its scope and applies supersession and pressure ({@link MemoryEngine#rememberThen}), so a
 * crash never leaves a fact without its tier. Supersession only ever replaces rows with a smaller
 * {@code seq} than the new fact (row keys increase with commit order), so two processes writing the
 * same target at once agree on the winner, the later row.
 */
public final class Facts {
  /** The scope of writes that name none. */
  public static final String DEFAULT_SCOPE = "global";

  private static final String SOURCE = "memory_write";

  final HotMem mem;
  final MemoryEngine engine;
  final FactConfig config;
  final String namespace;
  final Clock clock;
  final TokenCounter counter;
  final StatusBlock block;
  private final Consolidation consolidation;

  public Facts(HotMem mem, FactConfig config) {
    this.mem = mem;
    this.engine = EngineAccess.engine(mem);
    this.config = config;
    this.namespace = config.namespace();
    this.clock = mem.config().clock();
    this.counter = new TokenCounter(mem.config().tokenEncoding());
    this.block = new StatusBlock(counter, config.hotCapTokens());
    int minimum = block.minimumCap();
    if (config.hotCapTokens() < minimum) {
      throw new InvalidRequest(
          "hot_cap_tokens",
          "must leave room for the block's header and footer ("
              + minimum
              + " tokens); found "
              + config.hotCapTokens());
    }
    this.consolidation = new Consolidation(this);
  }

  /** Lower-cases and checks a scope name; null or blank gives null. */
  static String scope(String scope) {
    if (scope == null || scope.isBlank()) {
      return null;
    }
    String s = scope.strip().toLowerCase(Locale.ROOT);
    if (s.length() > Limits.MAX_LABEL_CHARS) {
      throw new InvalidRequest(
          "scope", "is " + s.length() + " chars long; the limit is " + Limits.MAX_LABEL_CHARS);
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new InvalidRequest(
            "scope", "must not contain control characters (at index " + i + ")");
      }
    }
    return s;
  }

  int tokens(String content) {
    return counter.count(StatusBlock.lineOf(content));
  }

  // ---------------------------------------------------------------- write

  public FactWrite write(String content, String scopeName) {
    if (content == null || content.isBlank()) {
      throw new InvalidRequest("content", "must not be empty");
    }
    ParsedFact p = ParsedFact.parse(content);
    String line = p.type() == FactType.PLAIN ? p.text() : content.strip();
    String given = scope(scopeName);
    // A done fact belongs to the scope it closes.
    String scope = p.type() == FactType.DONE ? p.target() : given == null ? DEFAULT_SCOPE : given;
    NewMemory memory =
        NewMemory.builder(p.target(), line)
            .namespace(namespace)
            .kind(p.type().wire())
            .scope(scope)
            .importance(importance(p.type()))
            .source(SOURCE)
            .build();
    int tokens = tokens(line);
    boolean model = config.consolidator().isPresent();
    MemoryEngine.Stored<Outcome> stored =
        engine.rememberThen(
            memory,
            (c, changed, r) -> {
              String id = r.memory().id();
              boolean duplicate = r.duplicate();
              long now = clock.millis();
              FactSql.touchScope(c, namespace, scope, now);
              if (duplicate) {
                FactSql.moveScope(c, id, scope, now);
              }
              boolean parked = p.type() == FactType.DONE || p.type() == FactType.OBSOLETE;
              FactSql.putState(c, id, namespace, parked ? "cold" : "hot", tokens, now);
              FactRow me = FactSql.byId(c, namespace, id);
              if (me == null) {
                // Remember looks the duplicate up again inside this transaction: it is active.
                throw new IllegalStateException("fact " + id + " has no state after its write");
              }
              List<String> superseded = new ArrayList<>();
              Optional<String> resolved = Optional.empty();
              Optional<String> closed = Optional.empty();
              // A duplicate may have been replaced already (by this process or another); then it
              // replaces nothing.
              if (me.status() == dev.hotmem.MemoryStatus.ACTIVE) {
                Long before = duplicate ? null : me.seq();
                if (p.type().supersedes()) {
                  superseded.addAll(
                      FactSql.supersede(
                          c,
                          changed,
                          namespace,
                          p.target(),
                          List.of(p.type().wire()),
                          scope,
                          before,
                          id,
                          now));
                }
                if (p.type() == FactType.VALUE || p.type() == FactType.DECISION) {
                  List<String> answered =
                      FactSql.supersede(
                          c,
                          changed,
                          namespace,
                          p.target(),
                          List.of("unknown"),
                          null,
                          before,
                          id,
                          now);
                  if (!answered.isEmpty()) {
                    resolved = Optional.of(answered.get(answered.size() - 1));
                  }
                }
                if (p.type() == FactType.OBSOLETE) {
                  List<String> kinds =
                      List.of("constraint", "decision", "value", "unknown", "fact");
                  List<String> gone =
                      FactSql.supersede(
                          c, changed, namespace, p.target(), kinds, scope, before, id, now);
                  if (gone.isEmpty()) {
                    gone =
                        FactSql.supersede(
                            c, changed, namespace, p.target(), kinds, null, before, id, now);
                  }
                  superseded.addAll(gone);
                }
                if (p.type() == FactType.DONE
                    && FactSql.closeScope(c, namespace, scope, "done fact " + id, now)) {
                  closed = Optional.of(scope);
                }
              }
              Pressure.Relief relief =
                  Pressure.relieve(c, changed, namespace, config.hotBudgetTokens(), model, now);
              Fact fact = FactSql.byId(c, namespace, id).fact(); // as relief left it
              return new Outcome(fact, duplicate, superseded, resolved, closed, relief);
            });
    Outcome out = stored.result();
    Fact fact = out.fact();
    if (!consolidateIfWanted(out.relief()).isEmpty()) {
      String id = fact.id(); // consolidation may have replaced it: read it again
      fact = engine.read("memory_write", c -> FactSql.byId(c, namespace, id)).fact();
    }
    return new FactWrite(fact, out.superseded(), out.resolved(), out.closed(), out.duplicate());
  }

  private record Outcome(
      Fact fact,
      boolean duplicate,
      List<String> superseded,
      Optional<String> resolved,
      Optional<String> closed,
      Pressure.Relief relief) {}

  private static double importance(FactType type) {
    return switch (type) {
      case CONSTRAINT -> 0.9;
      case DECISION -> 0.8;
      case VALUE -> 0.7;
      case UNKNOWN -> 0.6;
      case PLAIN -> 0.5;
      case DONE -> 0.4;
      case OBSOLETE -> 0.3;
    };
  }

  private List<String> consolidateIfWanted(Pressure.Relief relief) {
    if (!relief.wantsModel()) {
      return List.of();
    }
    return consolidation.run(config.consolidator().orElseThrow());
  }

  // ---------------------------------------------------------------- tick

  public TickResult tick(long turn, String message) {
    if (turn < 0) {
      throw new InvalidRequest("turn", "must not be negative; found " + turn);
    }
    if (message != null && message.length() > Limits.MAX_QUERY_CHARS) {
      throw new InvalidRequest(
          "message",
          "is " + message.length() + " chars long; the limit is " + Limits.MAX_QUERY_CHARS);
    }
    boolean model = config.consolidator().isPresent();
    Object[] relief = new Object[1];
    TickResult result =
        engine.writeTracked(
            "memory_tick",
            (c, changed) -> {
              String done = FactSql.tickResult(c, namespace, turn);
              if (done != null) {
                JsonNode n = Json.parse(done);
                return new TickResult(
                    turn,
                    true,
                    Json.strings(n.get("closed_scopes")),
                    n.path("level").asText("ok"),
                    Json.strings(n.get("actions")));
              }
              if (turn < FactSql.lastTurn(c, namespace)) {
                double pressure =
                    (double) FactSql.hotTokens(c, namespace) / config.hotBudgetTokens();
                return new TickResult(turn, true, List.of(), Pressure.level(pressure), List.of());
              }
              long now = clock.millis();
              Map<String, String> closing =
                  Scopes.tick(c, namespace, message, config, DEFAULT_SCOPE);
              List<String> actions = new ArrayList<>();
              List<String> closed = new ArrayList<>();
              for (Map.Entry<String, String> e : closing.entrySet()) {
                if (FactSql.closeScope(c, namespace, e.getKey(), e.getValue(), now)) {
                  closed.add(e.getKey());
                  actions.add("closed scope " + e.getKey() + ": " + e.getValue());
                }
              }
              Pressure.Relief r =
                  Pressure.relieve(c, changed, namespace, config.hotBudgetTokens(), model, now);
              relief[0] = r;
              actions.addAll(r.actions());
              ObjectNode json = Json.MAPPER.createObjectNode();
              json.set("closed_scopes", Json.MAPPER.valueToTree(closed));
              json.put("level", r.level());
              json.set("actions", Json.MAPPER.valueToTree(actions));
              FactSql.recordTick(c, namespace, turn, now, json.toString());
              return new TickResult(turn, false, closed, r.level(), actions);
            });
    if (relief[0] instanceof Pressure.Relief r && r.wantsModel()) {
      List<String> actions = new ArrayList<>(result.actions());
      actions.addAll(consolidateIfWanted(r));
      String level = status().level();
      return new TickResult(turn, false, result.closedScopes(), level, actions);
    }
    return result;
  }

  // ---------------------------------------------------------------- status

  public FactStatus status() {
    return engine.read(
        "memory_status",
        c -> {
          List<FactRow> hot = FactSql.hot(c, namespace);
          int hotTokens = hot.stream().mapToInt(FactRow::tokens).sum();
          int[] tiers = FactSql.tierCounts(c, namespace);
          List<String> open =
              FactSql.openScopes(c, namespace).stream().map(FactSql.OpenScope::scope).toList();
          String last = FactSql.lastPressure(c, namespace);
          List<String> actions = last == null ? List.of() : Json.strings(Json.parse(last));
          double pressure = (double) hotTokens / config.hotBudgetTokens();
          return new FactStatus(
              block.render(hot),
              hotTokens,
              config.hotBudgetTokens(),
              pressure,
              Pressure.level(pressure),
              tiers[0],
              tiers[1],
              tiers[2],
              open,
              actions);
        });
  }
}
