package dev.hotmem.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.MutableClock;
import dev.hotmem.TokenEncoding;
import dev.hotmem.internal.search.TokenCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long session: many writes across scopes, closing signals, idle ticks, topic shifts and
 * supersessions. Afterwards the block is within its cap and shows current facts only, closed scopes
 * are cold, reflect shows the history, and every line written is still in the store.
 */
class LongSessionScenarioTest {
  @TempDir Path dir;

  @Test
  void aLongSessionEndsBoundedCurrentAndComplete() {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
    try (HotMem mem =
        HotMem.open(HotMemConfig.builder(dir.resolve("session.sqlite")).clock(clock).build())) {
      FactMemory facts = FactMemory.open(mem, FactConfig.defaults());
      Set<String> written = new HashSet<>();
      Map<String, String> latestValue = new LinkedHashMap<>();
      List<String> closedByUs = new ArrayList<>();
      int turn = 0;

      facts.write("C[db.id]: UUID mndtry, nvr autoincrement", null);
      // Phase 1: auth work, with supersessions, ended by a closing signal.
      for (int i = 0; i < 12; i++) {
        clock.advance(Duration.ofMinutes(3));
        written.add(facts.write("V[auth.ttl]: " + (i + 1) + "d", "auth").fact().id());
        written.add(
            facts.write("D[auth.algo]: " + (i % 2 == 0 ? "RS256" : "ES256"), "auth").fact().id());
        latestValue.put("auth.ttl", (i + 1) + "d");
        facts.tick(++turn, "working on auth, step " + i);
      }
      written.add(facts.write("?[auth.sso]: which IdP?", "auth").fact().id());
      assertThat(facts.tick(++turn, "auth PR merged").closedScopes()).containsExactly("auth");
      closedByUs.add("auth");

      // Phase 2: ui and db interleaved; ui then goes quiet and closes by idleness.
      for (int i = 0; i < 10; i++) {
        clock.advance(Duration.ofMinutes(2));
        written.add(facts.write("V[ui.color" + (i % 3) + "]: shade " + i, "ui").fact().id());
        written.add(facts.write("V[db.pool]: " + (10 + i), "db").fact().id());
        latestValue.put("db.pool", String.valueOf(10 + i));
        facts.tick(++turn, "ui and db");
      }
      // Phase 3: a topic shift to deploy; ui and db get no writes and close.
      List<String> closedLater = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        clock.advance(Duration.ofMinutes(1));
        written.add(
            facts.write("V[srv.prod]: host-" + i + ".example.com:3005", "deploy").fact().id());
        written.add(
            facts.write("plain note number " + i + " about the deploy", "deploy").fact().id());
        latestValue.put("srv.prod", "host-" + i + ".example.com:3005");
        closedLater.addAll(facts.tick(++turn, "deploy step " + i).closedScopes());
      }
      assertThat(closedLater).contains("ui", "db");
      // A value answers the open question even though its scope closed.
      FactWrite sso = facts.write("V[auth.sso]: okta", "deploy");
      written.add(sso.fact().id());
      assertThat(sso.resolvedUnknown()).isPresent();
      facts.tick(++turn, "deploy shipped");

      FactStatus s = facts.status();
      TokenCounter counter = new TokenCounter(TokenEncoding.CL100K_BASE);
      assertThat(counter.count(s.block())).isLessThanOrEqualTo(180);
      assertThat(s.pressure()).isLessThan(0.95);
      assertThat(s.openScopes()).containsExactly(FactMemory.DEFAULT_SCOPE);
      // The block holds current facts only.
      String hot = facts.export(null, "hot");
      // The constraint, the oldest fact, is still hot: pressure pushes constraints out last.
      assertThat(s.block()).contains("C[db.id]: UUID mndtry, nvr autoincrement");
      // Said again, it is a duplicate, not a second fact.
      FactWrite again = facts.write("C[db.id]: UUID mndtry, nvr autoincrement", null);
      assertThat(again.duplicate()).isTrue();
      s = facts.status();
      for (String line : s.block().lines().toList()) {
        if (line.startsWith("V[") || line.startsWith("D[")) {
          assertThat(hot).contains(line);
        }
      }
      // Closed scopes hold no hot fact.
      for (String scope : List.of("auth", "ui", "db", "deploy")) {
        assertThat(facts.export(scope, "hot")).as(scope).isEmpty();
      }
      // Reflect shows every auth.ttl value, in order, each replaced by the next.
      List<FactHistory> ttl = facts.reflect("auth.ttl", 50);
      assertThat(ttl).hasSize(12);
      for (int i = 0; i < 11; i++) {
        assertThat(ttl.get(i).replacedBy()).contains(ttl.get(i + 1).fact().id());
      }
      assertThat(ttl.get(11).fact().text()).isEqualTo(latestValue.get("auth.ttl"));
      // Current values are the latest written, searchable in the cold tier.
      assertThat(facts.search("srv prod host", null, 5))
          .extracting(Fact::text)
          .contains(latestValue.get("srv.prod"));
      assertThat(facts.export(null, "current"))
          .contains("V[db.pool]: " + latestValue.get("db.pool"));
      // Nothing written was lost.
      for (String id : written) {
        assertThat(mem.get(id)).isNotNull();
      }
      assertThat(closedByUs).containsExactly("auth");
    }
  }
}
