package dev.hotmem.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.HotMemException;
import dev.hotmem.Memory;
import dev.hotmem.MemoryStatus;
import dev.hotmem.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing facts: supersession, obsolete, open questions, closing, as-of, history, export, purge.
 */
class FactMemoryTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
  HotMem mem;
  FactMemory facts;

  @BeforeEach
  void open() {
    mem = HotMem.open(HotMemConfig.builder(dir.resolve("facts.sqlite")).clock(clock).build());
    facts = FactMemory.open(mem, FactConfig.defaults());
  }

  @AfterEach
  void close() {
    facts.close();
    mem.close();
  }

  @Test
  void aFactIsAnOrdinaryMemory() {
    FactWrite w = facts.write("V[srv.prod]: api.example.com:3005", "Deploy");
    Memory m = mem.get(w.fact().id());
    assertThat(m.kind()).isEqualTo("value");
    assertThat(m.identifier()).isEqualTo("srv.prod");
    assertThat(m.scope()).isEqualTo("deploy");
    assertThat(m.content()).isEqualTo("V[srv.prod]: api.example.com:3005");
    assertThat(w.fact().tier()).isEqualTo(Fact.HOT);
    assertThat(w.fact().text()).isEqualTo("api.example.com:3005");

    Fact plain = facts.write("  Database IDs must be UUIDs  ", null).fact();
    assertThat(plain.type()).isEqualTo(FactType.PLAIN);
    assertThat(plain.target()).isEqualTo("general");
    assertThat(plain.scope()).isEqualTo(FactMemory.DEFAULT_SCOPE);
    assertThat(mem.get(plain.id()).kind()).isEqualTo("fact");
  }

  @Test
  void aNewValueSupersedesTheOldOneOfTheSameTargetAndScopeOnly() {
    Fact v1 = facts.write("V[srv.prod]: a.example.com", "deploy").fact();
    Fact other = facts.write("V[srv.prod]: b.example.com", "staging").fact();
    Fact c = facts.write("C[srv.prod]: must be https", "deploy").fact();
    FactWrite w = facts.write("V[srv.prod]: c.example.com", "deploy");

    assertThat(w.superseded()).containsExactly(v1.id());
    Memory old = mem.get(v1.id());
    assertThat(old.status()).isEqualTo(MemoryStatus.SUPERSEDED);
    assertThat(old.supersededBy()).isEqualTo(w.fact().id());
    assertThat(mem.get(other.id()).status()).isEqualTo(MemoryStatus.ACTIVE);
    assertThat(mem.get(c.id()).status()).isEqualTo(MemoryStatus.ACTIVE);
    assertThat(facts.export("deploy", null))
        .isEqualTo("C[srv.prod]: must be https\nV[srv.prod]: c.example.com\n");
    assertThat(facts.status().block()).doesNotContain("a.example.com").contains("c.example.com");
  }

  @Test
  void theSameLineTwiceIsADuplicateNotASupersession() {
    Fact first = facts.write("D[auth]: JWT", "auth").fact();
    FactWrite again = facts.write("D[auth]: JWT", "auth");
    assertThat(again.duplicate()).isTrue();
    assertThat(again.fact().id()).isEqualTo(first.id());
    assertThat(again.superseded()).isEmpty();
    assertThat(mem.get(first.id()).status()).isEqualTo(MemoryStatus.ACTIVE);
  }

  @Test
  void obsoleteEndsTheCurrentFactsOfItsTarget() {
    Fact v = facts.write("V[srv.old]: 10.0.0.1", "infra").fact();
    Fact q = facts.write("?[srv.old]: who owns it", "infra").fact();
    Fact keep = facts.write("V[srv.new]: 10.0.0.2", "infra").fact();
    FactWrite w = facts.write("~[srv.old]: retired", "infra");
    assertThat(w.superseded()).containsExactlyInAnyOrder(v.id(), q.id());
    assertThat(mem.get(v.id()).supersededBy()).isEqualTo(w.fact().id());
    assertThat(mem.get(keep.id()).status()).isEqualTo(MemoryStatus.ACTIVE);
    assertThat(w.fact().tier()).isEqualTo(Fact.COLD);
    assertThat(facts.search("srv old", null, 10)).extracting(Fact::id).doesNotContain(v.id());
  }

  @Test
  void obsoleteInAnotherScopeReachesTheTargetAnywhere() {
    Fact v = facts.write("V[srv.old]: 10.0.0.1", "infra").fact();
    FactWrite w = facts.write("~[srv.old]", null);
    assertThat(w.superseded()).containsExactly(v.id());
  }

  @Test
  void anOpenQuestionIsResolvedByTheNextValueOrDecisionForItsTarget() {
    Fact q = facts.write("?[cache.ttl]: how long to cache?", "perf").fact();
    FactWrite unrelated = facts.write("V[cache.size]: 1GB", "perf");
    assertThat(unrelated.resolvedUnknown()).isEmpty();
    FactWrite c = facts.write("C[cache.ttl]: never above 1h", "perf");
    assertThat(c.resolvedUnknown()).isEmpty();
    FactWrite v = facts.write("V[cache.ttl]: 15min", "other-scope");
    assertThat(v.resolvedUnknown()).contains(q.id());
    assertThat(mem.get(q.id()).status()).isEqualTo(MemoryStatus.SUPERSEDED);
    assertThat(mem.get(q.id()).supersededBy()).isEqualTo(v.fact().id());
  }

  @Test
  void doneClosesItsScopeAndMovesItsFactsToCold() {
    Fact a = facts.write("D[auth]: JWT 7d", "auth").fact();
    facts.write("V[ui.color]: blue", "ui");
    FactWrite done = facts.write("✓[auth]: deployed prod", null);
    assertThat(done.closedScope()).contains("auth");
    assertThat(done.fact().scope()).isEqualTo("auth");
    assertThat(facts.status().openScopes()).containsExactly("ui");
    assertThat(facts.export(null, "cold")).contains("D[auth]: JWT 7d").contains("✓[auth]");
    assertThat(facts.status().block()).doesNotContain("JWT").contains("V[ui.color]: blue");
    // Still current and searchable.
    assertThat(facts.search("JWT", null, 5)).extracting(Fact::id).contains(a.id());
    // A later write reopens the scope.
    facts.write("V[auth.ttl]: 7d", "auth");
    assertThat(facts.status().openScopes()).contains("auth");
  }

  @Test
  void asOfAnswersWhatWasCurrentAtATime() {
    Instant t0 = clock.instant();
    Fact v1 = facts.write("V[srv.prod]: one.example.com", "deploy").fact();
    Instant t1 = clock.advance(Duration.ofHours(1));
    Fact v2 = facts.write("V[srv.prod]: two.example.com", "deploy").fact();
    Instant t2 = clock.advance(Duration.ofHours(1));
    Fact gone = facts.write("~[srv.prod]: decommissioned", "deploy").fact();
    Instant t3 = clock.advance(Duration.ofHours(1));

    assertThat(facts.asOf("srv.prod", null, t0.minusMillis(1))).isEmpty();
    assertThat(facts.asOf("srv.prod", null, t0)).map(Fact::id).contains(v1.id());
    assertThat(facts.asOf("SRV.PROD", "deploy", t1.minusMillis(1))).map(Fact::id).contains(v1.id());
    assertThat(facts.asOf("srv.prod", null, t1)).map(Fact::id).contains(v2.id());
    assertThat(facts.asOf("srv.prod", null, t2.minusMillis(1))).map(Fact::id).contains(v2.id());
    assertThat(facts.asOf("srv.prod", null, t2)).isEmpty();
    assertThat(facts.asOf("srv.prod", null, t3)).isEmpty();
    assertThat(facts.asOf("srv.prod", "elsewhere", t1)).isEmpty();
    assertThat(gone.type()).isEqualTo(FactType.OBSOLETE);
  }

  @Test
  void reflectShowsAHistoryInTimeOrderWithWhatReplacedWhat() {
    Fact v1 = facts.write("V[db.host]: db1", "infra").fact();
    clock.advance(Duration.ofMinutes(1));
    Fact v2 = facts.write("V[db.host]: db2", "infra").fact();
    clock.advance(Duration.ofMinutes(1));
    Fact v3 = facts.write("V[db.host]: db3", "infra").fact();
    List<FactHistory> h = facts.reflect("db.host", 10);
    assertThat(h).extracting(e -> e.fact().id()).containsExactly(v1.id(), v2.id(), v3.id());
    assertThat(h.get(0).replacedBy()).contains(v2.id());
    assertThat(h.get(0).replaced()).isEmpty();
    assertThat(h.get(1).replaced()).contains(v1.id());
    assertThat(h.get(1).replacedBy()).contains(v3.id());
    assertThat(h.get(2).replacedBy()).isEmpty();
    assertThat(h.get(2).fact().current()).isTrue();
    assertThat(facts.reflect("db.host", 2))
        .extracting(e -> e.fact().id())
        .containsExactly(v2.id(), v3.id());
    // By scope, and by free text through search.
    assertThat(facts.reflect("infra", 10)).hasSize(3);
    assertThat(facts.reflect("where is the db host", 10)).hasSize(3);
  }

  @Test
  void exportFiltersByScopeAndStatus() {
    facts.write("V[a]: 1", "s1");
    facts.write("V[a]: 2", "s1");
    facts.write("D[b]: yes\nreally", "s2");
    assertThat(facts.export(null, null)).isEqualTo("V[a]: 2\nD[b]: yes really\n");
    assertThat(facts.export(null, "superseded")).isEqualTo("V[a]: 1\n");
    assertThat(facts.export(null, "all")).isEqualTo("V[a]: 1\nV[a]: 2\nD[b]: yes really\n");
    assertThat(facts.export("S2", "current")).isEqualTo("D[b]: yes really\n");
    assertThatThrownBy(() -> facts.export(null, "bogus"))
        .isInstanceOf(HotMemException.InvalidRequest.class)
        .hasMessageContaining("bogus");
  }

  @Test
  void purgeErasesOnlyWhatIsNoLongerCurrentOrInAClosedScope() {
    Fact old = facts.write("V[a]: 1", "s1").fact();
    clock.advance(Duration.ofDays(10));
    Fact current = facts.write("V[a]: 2", "s1").fact();
    Fact closed = facts.write("D[x]: done soon", "s2").fact();
    facts.write("✓[s2]", null);
    assertThat(facts.purge("s1", 30).purged()).isZero();
    assertThat(facts.purge("s1", 5).purged()).isEqualTo(1);
    assertThatThrownBy(() -> mem.get(old.id())).isInstanceOf(HotMemException.NotFound.class);
    assertThat(facts.purge(null, null).purged()).isEqualTo(2); // the closed scope's two facts
    assertThatThrownBy(() -> mem.get(closed.id())).isInstanceOf(HotMemException.NotFound.class);
    assertThat(mem.get(current.id()).status()).isEqualTo(MemoryStatus.ACTIVE);
    assertThatThrownBy(() -> facts.purge(null, -1))
        .isInstanceOf(HotMemException.InvalidRequest.class);
  }

  @Test
  void searchReturnsCurrentFactsOnlyWithinTheLimit() {
    for (int i = 0; i < 30; i++) {
      facts.write("V[port.svc" + i + "]: port " + (3000 + i) + " for service", "ports");
    }
    mem.remember(dev.hotmem.NewMemory.of("notes", "an ordinary memory about port service"));
    List<Fact> hits = facts.search("port service", null, 20);
    assertThat(hits).hasSize(20).allMatch(f -> f.type() == FactType.VALUE);
    assertThat(hits).allMatch(f -> f.score() > 0 && f.score() <= 1);
    assertThat(facts.search("port service", "nope", 5)).isEmpty();
    assertThatThrownBy(() -> facts.search("x", null, 21))
        .isInstanceOf(HotMemException.InvalidRequest.class);
    assertThatThrownBy(() -> facts.search("x", null, 0))
        .isInstanceOf(HotMemException.InvalidRequest.class);
    assertThatThrownBy(() -> facts.search(" ", null, 5))
        .isInstanceOf(HotMemException.InvalidRequest.class);
  }

  @Test
  void searchSkipsOrdinaryMemoriesThatOutrankTheFactsAndStillFillTheLimitInRankOrder() {
    List<String> factIds = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      factIds.add(facts.write("V[svc" + i + "]: port " + (3000 + i), "ports").fact().id());
    }
    for (int i = 0; i < 5; i++) {
      mem.remember(
          dev.hotmem.NewMemory.of("note" + i, "port port service port " + i + " service port"));
    }
    List<String> ranked =
        mem
            .recall(
                dev.hotmem.RecallQuery.builder("port service port")
                    .topK(20)
                    .filter(dev.hotmem.MemoryFilter.builder().namespace("default").build())
                    .build())
            .memories()
            .stream()
            .map(dev.hotmem.MemoryMessage::memoryId)
            .toList();
    // The ordinary memories come first, so the facts are read in a second batch (or later).
    assertThat(factIds).doesNotContain(ranked.get(0), ranked.get(1));
    List<String> factsInRankOrder = ranked.stream().filter(factIds::contains).toList();

    List<Fact> hits = facts.search("port service port", null, 3);

    assertThat(hits).extracting(Fact::id).containsExactlyElementsOf(factsInRankOrder.subList(0, 3));
  }

  @Test
  void badArgumentsAreInvalidRequests() {
    assertThatThrownBy(() -> facts.write(" ", null))
        .isInstanceOf(HotMemException.InvalidRequest.class);
    assertThatThrownBy(() -> facts.write(null, null))
        .isInstanceOf(HotMemException.InvalidRequest.class);
    assertThatThrownBy(() -> facts.write("V[a]: b", "bad\u0001scope"))
        .isInstanceOf(HotMemException.InvalidRequest.class);
    assertThatThrownBy(() -> facts.tick(-1, null))
        .isInstanceOf(HotMemException.InvalidRequest.class);
    assertThatThrownBy(() -> facts.reflect("", 5))
        .isInstanceOf(HotMemException.InvalidRequest.class);
    assertThatThrownBy(() -> facts.asOf("a", null, null))
        .isInstanceOf(HotMemException.InvalidRequest.class);
    assertThatThrownBy(
            () ->
                FactMemory.open(
                    mem, FactConfig.builder().hotCapTokens(30).hotBudgetTokens(20).build()))
        .isInstanceOf(HotMemException.InvalidRequest.class)
        .hasMessageContaining("hot_cap_tokens");
  }
}
