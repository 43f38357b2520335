package dev.hotmem.facts;

import java.util.List;
import java.util.Optional;

/**
 * What {@link FactMemory#write} did.
 *
 * @param fact the fact as stored (for a duplicate, the fact that was already there)
 * @param superseded ids of the facts this write replaced (same type, target and scope) or made
 *     obsolete ({@code ~[t]}); empty when none
 * @param resolvedUnknown the id of the open question ({@code ?[t]}) this value or decision
 *     answered, if any
 * @param closedScope the scope a {@code ✓[scope]} write closed, if any
 * @param duplicate true when the same line was already a current fact: nothing new was stored (the
 *     fact is hot again and belongs to the scope of this write)
 */
public record FactWrite(
    Fact fact,
    List<String> superseded,
    Optional<String> resolvedUnknown,
    Optional<String> closedScope,
    boolean duplicate) {
  public FactWrite {
    superseded = List.copyOf(superseded);
  }
}
