package dev.hotmem.internal.facts;

import dev.hotmem.NewMemory;
import dev.hotmem.Remembered;
import dev.hotmem.facts.ChatModel;
import dev.hotmem.facts.FactType;
import dev.hotmem.facts.ParsedFact;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 95% level with a model: the hot facts are rewritten by the model into fewer lines, which
 * become new hot facts, and the originals move to the cold tier, unchanged and current: nothing is
 * superseded or lost, so a model that drops or garbles a fact costs only hot-tier space, never the
 * fact.
 *
 * <p>Implementation notes. The model is called outside any transaction (it may take seconds). Its
 * answer is distrusted: at most {@value #MAX_LINES} lines of at most {@value #MAX_LINE_CHARS} chars
 * are kept, bullets and code fences are stripped, and an answer that is empty or not smaller in
 * tokens than the originals is rejected; then (as when the model fails) the oldest hot facts move
 * to cold instead.
 */
final class Consolidation {
  private static final Logger LOG = LoggerFactory.getLogger(Consolidation.class);
  static final int MAX_LINES = 40;
  static final int MAX_LINE_CHARS = 400;

  static final String SYSTEM =
      "You compact an agent's working memory. Rewrite the facts you are given into as few lines"
          + " as possible in MEMORY_SPEC notation: C[target]: constraint, D[target]: decision,"
          + " V[target]: value, ?[target]: open question. Keep every value, name, number and"
          + " constraint exactly; merge lines about the same target; use terse abbreviations"
          + " (cfg impl req usr prod dev deps auth db env srv api). Answer with the lines only, one"
          + " fact per line, nothing else.";

  private final Facts facts;

  Consolidation(Facts facts) {
    this.facts = facts;
  }

  /** Consolidates the hot tier; returns the actions taken. */
  List<String> run(ChatModel model) {
    List<FactRow> hot = facts.engine.read("consolidate", c -> FactSql.hot(c, facts.namespace));
    List<String> actions = new ArrayList<>();
    List<String> lines = null;
    String rejected;
    if (hot.size() < 2) {
      rejected = "fewer than two hot facts";
    } else {
      StringBuilder user = new StringBuilder();
      int before = 0;
      for (FactRow r : hot) {
        user.append(StatusBlock.lineOf(r.content()));
        before += r.tokens();
      }
      try {
        lines = lines(model.complete(SYSTEM, user.toString()));
        int after = lines.stream().mapToInt(facts::tokens).sum();
        rejected =
            lines.isEmpty()
                ? "the model answered no usable line"
                : after >= before
                    ? "the model's answer (" + after + " tokens) is not smaller than " + before
                    : null;
      } catch (RuntimeException e) {
        // Any failure of outside code (HotMemException included) falls back to moving facts.
        LOG.warn("consolidation model failed: {}", e.getMessage());
        rejected = "the model failed: " + e.getMessage();
      }
    }
    if (rejected == null) {
      store(hot, lines);
      actions.add(
          "consolidate: "
              + hot.size()
              + " hot facts rewritten as "
              + lines.size()
              + " by the model");
    } else {
      actions.add("consolidate: not by the model (" + rejected + ")");
    }
    facts.engine.writeTracked(
        "consolidate",
        (c, changed) -> {
          long now = facts.clock.millis();
          int budget = facts.config.hotBudgetTokens();
          if (FactSql.hotTokens(c, facts.namespace) >= Pressure.CONSOLIDATE * budget) {
            int pushed =
                Pressure.pushOldest(
                    c, facts.namespace, (int) Math.floor(Pressure.RELIEF_TARGET * budget), now);
            actions.add("consolidate: " + pushed + " oldest hot fact(s) moved to cold");
          }
          FactSql.recordPressure(c, facts.namespace, Json.array(actions), now);
          return null;
        });
    return actions;
  }

  private void store(List<FactRow> originals, List<String> lines) {
    Map<String, String> scopeOfTarget = new LinkedHashMap<>();
    for (FactRow r : originals) {
      scopeOfTarget.put(r.identifier(), r.scope());
    }
    String fallbackScope = originals.get(originals.size() - 1).scope();
    List<String> from = originals.stream().map(FactRow::id).toList();
    List<NewMemory> batch = new ArrayList<>();
    for (String line : lines) {
      ParsedFact p = ParsedFact.parse(line);
      batch.add(
          NewMemory.builder(p.target(), p.type() == FactType.PLAIN ? p.text() : line)
              .namespace(facts.namespace)
              .kind(p.type().wire())
              .scope(scopeOfTarget.getOrDefault(p.target(), fallbackScope))
              .source("consolidation")
              .metadata(Map.of("consolidated_from", from))
              .build());
    }
    List<Remembered> stored = facts.mem.rememberAll(batch);
    Set<String> kept = new HashSet<>();
    facts.engine.writeTracked(
        "consolidate",
        (c, changed) -> {
          long now = facts.clock.millis();
          for (Remembered r : stored) {
            kept.add(r.memory().id());
            FactSql.putState(
                c,
                r.memory().id(),
                facts.namespace,
                "hot",
                facts.tokens(r.memory().content()),
                now);
          }
          for (FactRow r : originals) {
            if (!kept.contains(r.id())) {
              FactSql.setTier(c, r.id(), "cold", now);
            }
          }
          return null;
        });
  }

  /** The usable lines of a model's answer. */
  static List<String> lines(String answer) {
    List<String> out = new ArrayList<>();
    if (answer == null) {
      return out;
    }
    for (String raw : answer.split("\\R", MAX_LINES * 4)) {
      String s = raw.strip();
      if (s.startsWith("```")) {
        continue;
      }
      s = s.replaceFirst("^(?:[-*•]|\\d{1,3}[.)])\\s+", "").strip();
      if (s.isEmpty() || s.length() > MAX_LINE_CHARS) {
        continue;
      }
      FactType type = ParsedFact.parse(s).type();
      if (type == FactType.DONE || type == FactType.OBSOLETE) {
        continue;
      }
      if (out.size() == MAX_LINES) {
        break;
      }
      out.add(s);
    }
    return out;
  }
}
