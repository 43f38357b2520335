package dev.hotmem.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scope lifecycle: closing signals, idle ticks, topic shifts, idempotent ticks. */
class FactScopeTest {
  @TempDir Path dir;
  HotMem mem;
  FactMemory facts;

  @BeforeEach
  void open() {
    mem =
        HotMem.open(
            HotMemConfig.builder(dir.resolve("scopes.sqlite"))
                .clock(new MutableClock(Instant.parse("2026-03-01T09:00:00Z")))
                .build());
    facts = FactMemory.open(mem, FactConfig.defaults());
  }

  @AfterEach
  void close() {
    mem.close();
  }

  private List<String> openScopes() {
    return facts.status().openScopes();
  }

  @Test
  void aClosingSignalClosesTheLatestScopeAndCoolsItsFacts() {
    facts.write("D[auth]: JWT", "auth");
    facts.write("V[ui.color]: blue", "ui");
    facts.write("V[auth.ttl]: 7d", "auth");
    TickResult t = facts.tick(1, "OK, the PR is Merged!");
    assertThat(t.closedScopes()).containsExactly("auth");
    assertThat(t.actions()).anyMatch(a -> a.contains("closing signal \"merged\""));
    assertThat(openScopes()).containsExactly("ui");
    assertThat(facts.export("auth", "cold")).isEqualTo("D[auth]: JWT\nV[auth.ttl]: 7d\n");
    assertThat(facts.status().block()).doesNotContain("JWT");
  }

  @Test
  void aSignalClosesTheScopesTheMessageNames() {
    facts.write("D[auth]: JWT", "auth");
    facts.write("V[ui.color]: blue", "ui-theme");
    facts.write("V[db.host]: db1", "db");
    assertThat(facts.tick(1, "the ui theme is shipped").closedScopes()).containsExactly("ui-theme");
    assertThat(openScopes()).containsExactlyInAnyOrder("auth", "db");
  }

  @Test
  void aNegatedSignalClosesNothing() {
    facts.write("D[auth]: JWT", "auth");
    assertThat(facts.tick(1, "it is not merged yet").closedScopes()).isEmpty();
    assertThat(facts.tick(2, "it isn't done").closedScopes()).isEmpty();
    assertThat(facts.tick(3, "abandoned, undone, premerged, doneness").closedScopes()).isEmpty();
    assertThat(openScopes()).containsExactly("auth");
    assertThat(facts.tick(4, "deployed, it works").closedScopes()).containsExactly("auth");
  }

  @Test
  void signalsAreConfigurable() {
    FactMemory custom =
        FactMemory.open(mem, FactConfig.builder().closingSignals(List.of("Ship It")).build());
    custom.write("D[auth]: JWT", "auth");
    assertThat(custom.tick(1, "merged").closedScopes()).isEmpty();
    assertThat(custom.tick(2, "ok ship it").closedScopes()).containsExactly("auth");
  }

  @Test
  void aScopeClosesAfterSixTicksWithoutReference() {
    facts.write("D[auth]: JWT", "auth");
    facts.tick(1, "writing auth things"); // the write counts as a reference
    for (int turn = 2; turn <= 6; turn++) {
      assertThat(facts.tick(turn, "something else").closedScopes()).isEmpty();
    }
    // A mention resets the count.
    facts.tick(7, "back to AUTH for a moment");
    for (int turn = 8; turn <= 12; turn++) {
      assertThat(facts.tick(turn, "unrelated").closedScopes()).isEmpty();
    }
    TickResult t = facts.tick(13, "unrelated");
    assertThat(t.closedScopes()).containsExactly("auth");
    assertThat(t.actions()).anyMatch(a -> a.contains("no reference for 6 ticks"));
  }

  @Test
  void theDefaultScopeNeverClosesByItself() {
    facts.write("C[db.id]: UUID", null);
    for (int turn = 1; turn <= 20; turn++) {
      facts.tick(turn, "done");
    }
    assertThat(openScopes()).containsExactly(FactMemory.DEFAULT_SCOPE);
    assertThat(facts.status().block()).contains("C[db.id]: UUID");
  }

  @Test
  void aScopeClosesAfterThreeTicksWhoseWritesGoElsewhere() {
    facts.write("D[auth]: JWT", "auth");
    facts.tick(1, null);
    facts.write("V[ui.a]: 1", "ui");
    assertThat(facts.tick(2, null).closedScopes()).isEmpty();
    facts.write("V[ui.b]: 2", "ui");
    assertThat(facts.tick(3, null).closedScopes()).isEmpty();
    // A quiet tick neither extends nor breaks the streak.
    assertThat(facts.tick(4, "auth?").closedScopes()).isEmpty();
    facts.write("V[ui.c]: 3", "ui");
    TickResult t = facts.tick(5, null);
    assertThat(t.closedScopes()).containsExactly("auth");
    assertThat(t.actions()).anyMatch(a -> a.contains("other scopes for 3 ticks"));
    assertThat(openScopes()).containsExactly("ui");
  }

  @Test
  void aWriteToTheScopeBreaksTheStreak() {
    facts.write("D[auth]: JWT", "auth");
    facts.tick(1, null);
    for (int turn = 2; turn <= 10; turn++) {
      facts.write("V[ui.k" + turn + "]: " + turn, "ui");
      if (turn % 2 == 0) {
        facts.write("V[auth.k" + turn + "]: " + turn, "auth");
      }
      assertThat(facts.tick(turn, null).closedScopes()).isEmpty();
    }
  }

  @Test
  void aRepeatedTurnChangesNothingAndRepeatsItsResult() {
    facts.write("D[auth]: JWT", "auth");
    TickResult first = facts.tick(1, "merged");
    assertThat(first.repeated()).isFalse();
    assertThat(first.closedScopes()).containsExactly("auth");
    facts.write("V[ui.a]: 1", "ui");
    TickResult again = facts.tick(1, "merged");
    assertThat(again.repeated()).isTrue();
    assertThat(again.closedScopes()).containsExactly("auth");
    assertThat(again.actions()).isEqualTo(first.actions());
    assertThat(openScopes()).containsExactly("ui");

    // Repeating one turn many times does not count as many idle ticks.
    facts.tick(2, null);
    for (int i = 0; i < 20; i++) {
      assertThat(facts.tick(3, "x").closedScopes()).isEmpty();
    }
    assertThat(openScopes()).containsExactly("ui");
    // An older turn than the last is stale: repeated, no effect.
    TickResult stale = facts.tick(2, "ui shipped");
    assertThat(stale.repeated()).isTrue();
    assertThat(stale.closedScopes()).isEmpty();
    assertThat(openScopes()).containsExactly("ui");
  }
}
