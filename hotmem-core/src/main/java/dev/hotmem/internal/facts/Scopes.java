package dev.hotmem.internal.facts;

import dev.hotmem.facts.FactConfig;
import dev.hotmem.internal.store.SqliteStore.Conn;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scope lifecycle at a tick, inside the caller's write transaction.
 *
 * <p>Implementation notes. Each open scope keeps two counters and the number of writes since the
 * last tick (the write path counts them in the same table, so several processes' writes all count).
 * A tick sets {@code idle} to 0 for a scope that was written to or named in the message and adds
 * one otherwise; it sets {@code foreign} to 0 for a scope that was written to, adds one when there
 * were writes but all went elsewhere, and leaves it alone in a tick without writes (a quiet turn is
 * no topic shift, and idleness covers it). A closing signal closes the open scopes the message
 * names, or else the most recently written one. The default scope never closes by itself: it holds
 * what belongs to no unit of work, and only {@code ✓[global]} closes it.
 */
final class Scopes {
  private static final Pattern NEGATION =
      Pattern.compile(
          "(?:\\bnot|n't|\\bnever|\\bno|\\bnearly|\\balmost)\\s+(?:yet\\s+|quite\\s+)?$");

  private Scopes() {}

  /** Scopes to close at this tick, with the reason, in order. */
  static Map<String, String> tick(
      Conn c, String namespace, String message, FactConfig config, String defaultScope)
      throws SQLException {
    List<FactSql.OpenScope> open = FactSql.openScopes(c, namespace);
    String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
    boolean anyWrites = open.stream().anyMatch(s -> s.writes() > 0);
    Map<String, String> closing = new LinkedHashMap<>();
    List<String> named = new ArrayList<>();
    String latest = null;
    for (FactSql.OpenScope s : open) {
      if (s.scope().equals(defaultScope)) {
        continue;
      }
      boolean mentioned = mentions(text, s.scope());
      if (mentioned) {
        named.add(s.scope());
      }
      if (latest == null) {
        latest = s.scope();
      }
      int idle = s.writes() > 0 || mentioned ? 0 : s.idleTicks() + 1;
      int foreign = s.writes() > 0 ? 0 : anyWrites ? s.foreignTicks() + 1 : s.foreignTicks();
      FactSql.setTickCounters(c, namespace, s.scope(), idle, foreign);
      if (idle >= config.idleTicksToClose()) {
        closing.put(s.scope(), "no reference for " + idle + " ticks");
      } else if (foreign >= config.foreignTicksToClose()) {
        closing.put(s.scope(), "writes went to other scopes for " + foreign + " ticks");
      }
    }
    FactSql.clearWrites(c, namespace);
    String signal = signal(text, config.closingSignals());
    if (signal != null) {
      List<String> targets = named.isEmpty() && latest != null ? List.of(latest) : named;
      for (String scope : targets) {
        closing.put(scope, "closing signal \"" + signal + "\"");
      }
    }
    return closing;
  }

  /** Whether the lower-cased text names the scope as a whole word (separators may be spaces). */
  static boolean mentions(String text, String scope) {
    if (text.isEmpty()) {
      return false;
    }
    String spaced = scope.replaceAll("[._/-]+", " ");
    return word(scope).matcher(text).find()
        || (!spaced.equals(scope) && word(spaced).matcher(text).find());
  }

  /** The first closing signal the lower-cased text contains, not negated; null if none. */
  static String signal(String text, List<String> signals) {
    for (String signal : signals) {
      Matcher m = word(signal).matcher(text);
      while (m.find()) {
        String before = text.substring(Math.max(0, m.start() - 16), m.start());
        if (!NEGATION.matcher(before).find()) {
          return signal;
        }
      }
    }
    return null;
  }

  private static Pattern word(String phrase) {
    return Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(phrase) + "(?![\\p{L}\\p{N}_])");
  }
}
