package dev.hotmem.facts;

import java.util.List;

/**
 * What {@link FactMemory#tick} did.
 *
 * @param turn the turn number given
 * @param repeated true when this turn (or a later one) was ticked already: nothing changed, and
 *     {@code closedScopes} and {@code actions} repeat what the first tick of this turn did (empty
 *     for a turn older than the last one ticked)
 * @param closedScopes scopes this tick closed (by a closing signal, idleness or a topic shift)
 * @param pressureLevel the hot tier's level after the tick: {@code ok}, {@code merge}, {@code
 *     archive} or {@code consolidate}
 * @param actions what the tick did, one readable line each (scope closings and pressure actions)
 */
public record TickResult(
    long turn,
    boolean repeated,
    List<String> closedScopes,
    String pressureLevel,
    List<String> actions) {
  public TickResult {
    closedScopes = List.copyOf(closedScopes);
    actions = List.copyOf(actions);
  }
}
