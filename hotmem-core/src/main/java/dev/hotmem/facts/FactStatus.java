package dev.hotmem.facts;

import java.util.List;

/**
 * The state of the fact memory, as {@link FactMemory#status} reports it.
 *
 * @param block the system-prompt block: notation, abbreviations, rules and the hot facts; never
 *     more than the configured cap in tokens ({@link FactConfig#hotCapTokens()})
 * @param hotTokens tokens of the hot facts' lines (each counted with its newline)
 * @param budgetTokens the hot budget ({@link FactConfig#hotBudgetTokens()})
 * @param pressure {@code hotTokens / budgetTokens}; may exceed 1 until the next write or tick
 *     relieves it
 * @param level {@code ok} (below 70%), {@code merge} (70%), {@code archive} (85%) or {@code
 *     consolidate} (95% and over)
 * @param hotFacts current facts in the hot tier
 * @param coldFacts current facts in the cold tier
 * @param archivedFacts facts archived with their closed scope
 * @param openScopes the open scopes, most recently written first
 * @param actions what the last pressure relief did (on the last write or tick that needed one)
 */
public record FactStatus(
    String block,
    int hotTokens,
    int budgetTokens,
    double pressure,
    String level,
    int hotFacts,
    int coldFacts,
    int archivedFacts,
    List<String> openScopes,
    List<String> actions) {
  public FactStatus {
    openScopes = List.copyOf(openScopes);
    actions = List.copyOf(actions);
  }
}
