package dev.hotmem.internal.facts;

import dev.hotmem.MemoryStatus;
import dev.hotmem.facts.Fact;
import dev.hotmem.facts.ParsedFact;
import java.time.Instant;

/** A fact as read from SQLite: the memory's columns the fact layer uses, and its fact state. */
record FactRow(
    long seq,
    String id,
    String identifier,
    String content,
    String kind,
    String scope,
    MemoryStatus status,
    String supersededBy,
    long createdAt,
    String tier,
    int tokens,
    Long supersededAt) {

  /** The columns {@link FactSql#row} reads, in order, from {@code memories m JOIN fact_state f}. */
  static final String COLUMNS =
      "m.seq, m.id, m.identifier, m.content, m.kind, m.scope, m.status, m.superseded_by,"
          + " m.created_at, f.tier, f.tokens, f.superseded_at";

  Fact fact(double score) {
    ParsedFact p = ParsedFact.parse(content);
    String target = p.type() == dev.hotmem.facts.FactType.PLAIN ? identifier : p.target();
    return new Fact(
        id,
        p.type(),
        target,
        scope,
        p.text(),
        content,
        tier,
        status,
        supersededBy,
        Instant.ofEpochMilli(createdAt),
        score);
  }

  Fact fact() {
    return fact(0);
  }
}
