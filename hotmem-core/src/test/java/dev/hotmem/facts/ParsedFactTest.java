package dev.hotmem.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParsedFactTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "C[db.id]: UUID mndtry, nvr autoincrement | CONSTRAINT | db.id | UUID mndtry, nvr autoincrement",
        "D[auth]: JWT 7j refresh 6j | DECISION | auth | JWT 7j refresh 6j",
        "V[srv.prod]: api.example.com:3005 | VALUE | srv.prod | api.example.com:3005",
        "?[cache.ttl]: how long? | UNKNOWN | cache.ttl | how long?",
        "✓[auth]: deployed prod | DONE | auth | deployed prod",
        "✔[auth]: deployed | DONE | auth | deployed",
        "~[srv.old]: retired | OBSOLETE | srv.old | retired",
        "'  V[ Srv.Prod ] :  a:b:c  ' | VALUE | srv.prod | a:b:c",
        "V[my_key-2/x]: v | VALUE | my_key-2/x | v",
        "V[café.prix]: 3 € | VALUE | café.prix | 3 €",
      })
  void readsEachType(String line, FactType type, String target, String text) {
    ParsedFact p = ParsedFact.parse(line);
    assertThat(p).isEqualTo(new ParsedFact(type, target, text));
    assertThat(ParsedFact.parse(p.line())).isEqualTo(p);
  }

  @ParameterizedTest
  @ValueSource(strings = {"✓[auth]", "~[srv.old]", "~[srv.old]:", "✓[auth]:   "})
  void doneAndObsoleteMayOmitText(String line) {
    ParsedFact p = ParsedFact.parse(line);
    assertThat(p.type()).isIn(FactType.DONE, FactType.OBSOLETE);
    assertThat(p.text()).isEmpty();
    assertThat(ParsedFact.parse(p.line())).isEqualTo(p);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Database IDs must always be UUID",
        "V[srv.prod]",
        "V[srv.prod]:",
        "V[srv.prod]:   ",
        "V[]: x",
        "V[.a]: x",
        "V[a.]: x",
        "V[a..b]: x",
        "V[a b]: x",
        "V[a]x",
        "V[a: x",
        "v[a]: lower-case sigil",
        "X[a]: unknown sigil",
        "[a]: no sigil",
        "V (a): x",
        "V[a]]: x",
        "C",
        "",
        "   ",
      })
  void anythingElseIsPlainNeverRejected(String line) {
    ParsedFact p = ParsedFact.parse(line);
    assertThat(p.type()).isEqualTo(FactType.PLAIN);
    assertThat(p.target()).isEqualTo(ParsedFact.PLAIN_TARGET);
    assertThat(p.text()).isEqualTo(line.strip());
  }

  @Test
  void aTargetLongerThanTheLimitMakesAPlainFact() {
    String ok = "a".repeat(ParsedFact.MAX_TARGET_CHARS);
    assertThat(ParsedFact.parse("V[" + ok + "]: x").type()).isEqualTo(FactType.VALUE);
    assertThat(ParsedFact.parse("V[" + ok + "a]: x").type()).isEqualTo(FactType.PLAIN);
  }

  @Test
  void wireNamesAreTheMemoryKinds() {
    assertThat(FactType.VALUE.wire()).isEqualTo("value");
    assertThat(FactType.PLAIN.wire()).isEqualTo("fact");
    for (FactType t : FactType.values()) {
      assertThat(FactType.fromWire(t.wire())).contains(t);
    }
    assertThat(FactType.fromWire("note")).isEmpty();
  }

  @Test
  void nullIsAProgrammingError() {
    assertThatThrownBy(() -> ParsedFact.parse(null)).isInstanceOf(NullPointerException.class);
  }
}
