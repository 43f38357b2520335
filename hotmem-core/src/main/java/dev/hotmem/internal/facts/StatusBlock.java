package dev.hotmem.internal.facts;

import dev.hotmem.facts.FactType;
import dev.hotmem.internal.search.TokenCounter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Renders the system-prompt block: a fixed header (notation, abbreviations, rules) and the hot
 * facts grouped by target, never more than the cap in tokens.
 *
 * <p>Implementation notes. Facts are chosen by priority (constraints, decisions, values, open
 * questions, plain facts; newest first within a type) while their summed line counts fit, then
 * shown sorted by target so facts about one key sit together. Token counts of separate lines need
 * not add up to the count of the joined text, so the assembled block is counted again and the
 * lowest-priority line dropped until it fits: the cap holds by construction, not by estimate. Hot
 * facts left out are announced in a footer whose room is reserved up front.
 */
final class StatusBlock {
  static final String HEADER =
      "[MEMORY_SPEC v1.0] C constraint D decision V value ? unknown ✓ done ~ obsolete\n"
          + "abbr: cfg req prod dev db env srv auth\n"
          + "memory_write C/D/V/?; memory_search first; memory_tick each msg\n";

  private final TokenCounter counter;
  private final int cap;
  private final int footerReserve;

  StatusBlock(TokenCounter counter, int cap) {
    this.counter = counter;
    this.cap = cap;
    this.footerReserve = counter.count(footer(Integer.MAX_VALUE));
  }

  /** The fewest tokens a cap must allow: the header and the largest footer. */
  int minimumCap() {
    return counter.count(HEADER) + footerReserve;
  }

  static String footer(int omitted) {
    return "+" + omitted + " more\n";
  }

  /** One line per fact, newlines inside a fact flattened so that each fact is one line. */
  static String lineOf(String content) {
    return content.replaceAll("\\s*[\\r\\n]+\\s*", " ") + "\n";
  }

  String render(List<FactRow> hot) {
    List<FactRow> byPriority = new ArrayList<>(hot);
    byPriority.sort(
        Comparator.comparingInt((FactRow r) -> priority(r.kind()))
            .thenComparing(Comparator.comparingLong(FactRow::seq).reversed()));
    int room = cap - counter.count(HEADER) - footerReserve;
    List<FactRow> chosen = new ArrayList<>();
    int used = 0;
    for (FactRow r : byPriority) {
      int t = counter.countUpTo(lineOf(r.content()), room);
      if (used + t <= room) {
        chosen.add(r);
        used += t;
      }
    }
    while (true) {
      String block = assemble(chosen, hot.size() - chosen.size());
      if (chosen.isEmpty() || counter.countUpTo(block, cap) <= cap) {
        return block;
      }
      chosen.remove(chosen.size() - 1);
    }
  }

  private static String assemble(List<FactRow> chosen, int omitted) {
    List<FactRow> shown = new ArrayList<>(chosen);
    shown.sort(
        Comparator.comparing((FactRow r) -> "fact".equals(r.kind()) ? 1 : 0)
            .thenComparing(FactRow::identifier)
            .thenComparingInt(r -> priority(r.kind()))
            .thenComparingLong(FactRow::seq));
    StringBuilder b = new StringBuilder(HEADER);
    for (FactRow r : shown) {
      b.append(lineOf(r.content()));
    }
    if (omitted > 0) {
      b.append(footer(omitted));
    }
    return b.toString();
  }

  private static int priority(String kind) {
    return FactType.fromWire(kind).map(Enum::ordinal).orElse(FactType.PLAIN.ordinal());
  }
}
