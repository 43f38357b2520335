package dev.hotmem.facts;

import java.util.Optional;

/**
 * One entry of a topic's history ({@link FactMemory#reflect}), oldest first.
 *
 * @param fact the fact, current or not
 * @param replacedBy the id of the fact that replaced it (or made it obsolete), if any
 * @param replaced the id of the fact it replaced (the newest one, when it replaced several), if any
 */
public record FactHistory(Fact fact, Optional<String> replacedBy, Optional<String> replaced) {}
