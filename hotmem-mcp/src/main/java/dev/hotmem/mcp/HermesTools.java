package dev.hotmem.mcp;

import dev.hotmem.HotMemException.InvalidRequest;
import dev.hotmem.facts.Fact;
import dev.hotmem.facts.FactHistory;
import dev.hotmem.facts.FactMemory;
import dev.hotmem.facts.FactStatus;
import dev.hotmem.facts.FactWrite;
import dev.hotmem.facts.TickResult;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The fact-memory tools ({@code memory_*}) over {@link FactMemory}: structured facts in MEMORY_SPEC
 * notation, a hot tier injected at session start under a token budget, a cold tier reached by
 * search, and scopes that close as work finishes. Also the {@code memory_status} prompt.
 */
final class HermesTools {
  static final int DEFAULT_SEARCH_LIMIT = 10;
  static final int DEFAULT_REFLECT_LIMIT = 20;
  static final List<String> EXPORT_STATUSES =
      List.of("current", "active", "hot", "cold", "archived", "superseded", "all");

  private HermesTools() {}

  static List<McpTool> create(Supplier<FactMemory> facts) {
    return List.of(
        write(facts),
        search(facts),
        tick(facts),
        status(facts),
        reflect(facts),
        export(facts),
        purge(facts));
  }

  private static McpTool write(Supplier<FactMemory> facts) {
    return new McpTool(
        "memory_write",
        "Write a fact",
        "Store a constraint, decision, value or open question as soon as it is established, one"
            + " fact per call, in MEMORY_SPEC notation: C[target]: constraint, D[target]: decision,"
            + " V[target]: value (IP, port, URL, key...), ?[target]: open question, ~[target]:"
            + " obsolete, ✓[scope]: scope done. Targets are dotted keys (db.id, srv.prod). A new"
            + " C/D/V for the same target replaces the old one (kept in history); a V/D answers the"
            + " ?[target]. Text outside the notation is kept as a plain fact. Example: V[srv.prod]:"
            + " api.example.com:3005",
        new McpTool.Schema()
            .string("content", true, "One fact, e.g. D[auth]: JWT 7d, refresh 6d.")
            .string(
                "scope",
                false,
                "The unit of work it belongs to (a feature, a bug, a phase), e.g. auth-refactor;"
                    + " default: global. Facts of a closed scope leave the hot tier."),
        McpTool.Effect.WRITES,
        args -> {
          FactWrite w = facts.get().write(args.text("content"), args.optionalText("scope"));
          Map<String, Object> out = fact(w.fact());
          out.put("duplicate", w.duplicate());
          out.put("superseded", w.superseded());
          out.put("resolved_unknown", w.resolvedUnknown().orElse(null));
          out.put("closed_scope", w.closedScope().orElse(null));
          return out;
        });
  }

  private static McpTool search(Supplier<FactMemory> facts) {
    return new McpTool(
        "memory_search",
        "Search facts",
        "Search all current facts, hot and cold, by meaning and keywords, best first. Call it"
            + " before answering on a topic that may have history (a server, a schema, an earlier"
            + " decision) instead of guessing; superseded facts are never returned (see"
            + " memory_reflect).",
        new McpTool.Schema()
            .string("query", true, "What you need, e.g. 'prod server address' or 'db id'.")
            .string("scope", false, "Only facts of this scope.")
            .integer(
                "limit",
                false,
                1,
                FactMemory.MAX_SEARCH_LIMIT,
                "Most facts to return (default "
                    + DEFAULT_SEARCH_LIMIT
                    + ", at most "
                    + FactMemory.MAX_SEARCH_LIMIT
                    + ")."),
        McpTool.Effect.READS,
        args -> {
          String query = args.text("query");
          String scope = args.optionalText("scope");
          Long limit = args.optionalInteger("limit", 1, FactMemory.MAX_SEARCH_LIMIT);
          List<Map<String, Object>> found =
              facts
                  .get()
                  .search(query, scope, limit == null ? DEFAULT_SEARCH_LIMIT : limit.intValue())
                  .stream()
                  .map(HermesTools::fact)
                  .toList();
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("count", found.size());
          out.put("facts", found);
          return out;
        });
  }

  private static McpTool tick(Supplier<FactMemory> facts) {
    return new McpTool(
        "memory_tick",
        "Tick a turn",
        "Call once on every user message, with an increasing turn number and the message. It"
            + " drives the scope lifecycle: a scope closes when the message says it is finished"
            + " (merged, deployed, it works, shipped, done), after six turns without mention, or"
            + " after three turns of work elsewhere; closed scopes leave the hot tier. Repeating a"
            + " turn number changes nothing.",
        new McpTool.Schema()
            .integer("turn", true, 0, Long.MAX_VALUE, "The turn number, 0 or more, increasing.")
            .string("message", false, "The user's message of this turn."),
        McpTool.Effect.WRITES,
        args -> {
          TickResult t =
              facts
                  .get()
                  .tick(args.integer("turn", 0, Long.MAX_VALUE), args.optionalText("message"));
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("turn", t.turn());
          out.put("repeated", t.repeated());
          out.put("closed_scopes", t.closedScopes());
          out.put("pressure_level", t.pressureLevel());
          out.put("actions", t.actions());
          return out;
        });
  }

  private static McpTool status(Supplier<FactMemory> facts) {
    return new McpTool(
        "memory_status",
        "Memory status",
        "Call at session start. Returns the memory block for your context (the notation, the"
            + " abbreviations, the rules and the hot facts, never more than 180 tokens) and the"
            + " state of the tiers: hot-tier pressure and level (ok, merge, archive,"
            + " consolidate), fact counts and open scopes. Also offered as the prompt"
            + " memory_status.",
        new McpTool.Schema(),
        McpTool.Effect.READS,
        args -> {
          FactStatus s = facts.get().status();
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("block", s.block());
          out.put("hot_tokens", s.hotTokens());
          out.put("budget_tokens", s.budgetTokens());
          out.put("pressure", Math.round(s.pressure() * 1000) / 1000.0);
          out.put("level", s.level());
          out.put("hot_facts", s.hotFacts());
          out.put("cold_facts", s.coldFacts());
          out.put("archived_facts", s.archivedFacts());
          out.put("open_scopes", s.openScopes());
          out.put("actions", s.actions());
          return out;
        });
  }

  private static McpTool reflect(Supplier<FactMemory> facts) {
    return new McpTool(
        "memory_reflect",
        "Reflect on a topic",
        "The history of a topic (a target such as srv.prod, a scope, or free words), oldest"
            + " first, with what replaced what. Call it when the user asks how something changed,"
            + " why, or what it used to be. With as_of, answers what was current for the target at"
            + " that moment instead.",
        new McpTool.Schema()
            .string("topic", true, "A target (srv.prod), a scope, or words to search for.")
            .integer(
                "limit",
                false,
                1,
                FactMemory.MAX_REFLECT_LIMIT,
                "Newest entries to return (default " + DEFAULT_REFLECT_LIMIT + ").")
            .string(
                "as_of",
                false,
                "A date (2026-03-01) or instant (2026-03-01T12:00:00Z): return the fact that was"
                    + " current for the target then."),
        McpTool.Effect.READS,
        args -> {
          String topic = args.text("topic");
          Long limit = args.optionalInteger("limit", 1, FactMemory.MAX_REFLECT_LIMIT);
          String asOf = args.optionalText("as_of");
          Map<String, Object> out = new LinkedHashMap<>();
          if (asOf != null) {
            if (limit != null) {
              throw new InvalidRequest("limit", "does not apply with as_of");
            }
            Instant when = instant(asOf);
            out.put("as_of", when.toString());
            out.put(
                "fact", facts.get().asOf(topic, null, when).map(HermesTools::fact).orElse(null));
            return out;
          }
          List<Map<String, Object>> history =
              facts
                  .get()
                  .reflect(topic, limit == null ? DEFAULT_REFLECT_LIMIT : limit.intValue())
                  .stream()
                  .map(HermesTools::history)
                  .toList();
          out.put("count", history.size());
          out.put("history", history);
          return out;
        });
  }

  private static McpTool export(Supplier<FactMemory> facts) {
    return new McpTool(
        "memory_export",
        "Export facts",
        "All facts as plain MEMORY_SPEC notation, one line each, oldest first: a snapshot to read,"
            + " diff or paste into a file such as MEMORY.md.",
        new McpTool.Schema()
            .string("scope", false, "Only facts of this scope.")
            .enumeration(
                "status",
                EXPORT_STATUSES,
                "Which facts: current (default: hot, cold and archived), active, hot, cold,"
                    + " archived, superseded, or all including history."),
        McpTool.Effect.READS,
        args -> {
          String scope = args.optionalText("scope");
          String status = args.optionalText("status");
          if (status != null && !EXPORT_STATUSES.contains(status)) {
            throw new InvalidRequest(
                "status",
                "must be one of " + String.join(", ", EXPORT_STATUSES) + "; found " + status);
          }
          String lines = facts.get().export(scope, status);
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("count", lines.lines().count());
          out.put("notation", lines);
          return out;
        });
  }

  private static McpTool purge(Supplier<FactMemory> facts) {
    return new McpTool(
        "memory_purge",
        "Purge old facts",
        "Erase for good the facts no longer needed: superseded ones, and those of closed or"
            + " archived scopes. Current facts of open scopes are never erased. Call it after a"
            + " scope is closed or as periodic clean-up; erased facts leave history too.",
        new McpTool.Schema()
            .string("scope", false, "Only facts of this scope.")
            .integer("older_than_days", false, 0, 36_500, "Only facts older than this many days."),
        McpTool.Effect.ERASES,
        args -> {
          String scope = args.optionalText("scope");
          Long days = args.optionalInteger("older_than_days", 0, 36_500);
          int purged = facts.get().purge(scope, days == null ? null : days.intValue()).purged();
          return Map.of("purged", purged);
        });
  }

  /** The status block as an MCP prompt, for clients that put prompts in the system prompt. */
  static SyncPromptSpecification statusPrompt(Supplier<FactMemory> facts) {
    McpSchema.Prompt prompt =
        new McpSchema.Prompt(
            "memory_status",
            "Memory block",
            "The memory block for the system prompt: MEMORY_SPEC notation, abbreviations, rules"
                + " and the hot facts (at most 180 tokens).",
            List.of(),
            null,
            null);
    return new SyncPromptSpecification(
        prompt,
        (exchange, request) ->
            new McpSchema.GetPromptResult(
                "HotMem memory block",
                List.of(
                    new McpSchema.PromptMessage(
                        McpSchema.Role.USER,
                        McpSchema.TextContent.builder(facts.get().status().block()).build())),
                null));
  }

  static Map<String, Object> fact(Fact f) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", f.id());
    out.put("line", f.line());
    out.put("type", f.type().wire());
    out.put("target", f.target());
    out.put("scope", f.scope());
    out.put("tier", f.tier());
    out.put("status", f.status().wire());
    if (f.supersededBy() != null) {
      out.put("superseded_by", f.supersededBy());
    }
    if (f.score() > 0) {
      out.put("score", Math.round(f.score() * 10_000) / 10_000.0);
    }
    out.put("created_at", f.createdAt().toString());
    return out;
  }

  private static Map<String, Object> history(FactHistory h) {
    Map<String, Object> out = fact(h.fact());
    out.put("replaced_by", h.replacedBy().orElse(null));
    out.put("replaced", h.replaced().orElse(null));
    return out;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notInstant) {
      try {
        // A bare date means the end of that day (UTC): what was current on that date.
        return LocalDate.parse(text)
            .plusDays(1)
            .atStartOfDay()
            .toInstant(ZoneOffset.UTC)
            .minusMillis(1);
      } catch (DateTimeParseException notDate) {
        throw new InvalidRequest(
            "as_of",
            "must be a date (2026-03-01) or an instant (2026-03-01T12:00:00Z); found " + text);
      }
    }
  }
}
