package dev.hotmem.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryStatus;
import dev.hotmem.NewMemory;
import dev.hotmem.Remembered;
import dev.hotmem.internal.search.FtsQuery;
import dev.hotmem.internal.search.KeywordIndex;
import dev.hotmem.internal.search.KeywordTerms;
import dev.hotmem.internal.store.RecallQueries;
import dev.hotmem.internal.store.RecallQueries.KeywordHits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-memory keyword index ranks as the store's FTS5 table does: over a real store with three
 * searchable columns, two namespaces, forgotten, erased and expiring rows, hundreds of random
 * queries (with words that share a stem) under several filters give the same candidates with the
 * same bm25 from {@link KeywordIndex#search} as from {@link RecallQueries#ftsCandidates}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeywordIndexFts5AgreementTest {
  private static final String[] ROOTS = {
    "paint", "run", "hike", "camp", "cook", "read", "swim", "travel", "garden", "photograph",
    "music", "guitar", "dance", "write", "teach", "learn", "volunteer", "adopt", "dog", "cat",
    "beach", "mountain", "friend", "family", "school", "work", "book", "movie", "game", "art",
    "connect", "relate", "happy", "generous", "nation", "condition", "hope", "agree", "sky", "fly"
  };
  private static final String[] SUFFIXES = {"", "s", "ing", "ed", "er", "ers", "ful", "ness"};
  private static final String[] FILLER = {
    "the", "a", "and", "with", "my", "her", "his", "at", "on", "in", "yesterday", "really"
  };
  private static final String[] IDENTIFIERS = {"caroline", "melanie", "painting", "general", "Jo"};

  @TempDir static Path dir;
  private HotMem mem;
  private final Random random = new Random(20261125);
  private final KeywordIndex index = new KeywordIndex();
  private long now;

  @BeforeAll
  void fill() {
    mem =
        HotMem.open(HotMemConfig.builder(dir.resolve("agree.sqlite")).keywordIndex(false).build());
    List<NewMemory> batch = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      NewMemory.Builder b =
          NewMemory.builder(IDENTIFIERS[random.nextInt(IDENTIFIERS.length)], sentence(4, 20))
              .namespace(random.nextInt(5) == 0 ? "other" : NewMemory.DEFAULT_NAMESPACE);
      if (random.nextInt(3) == 0) {
        b.context(sentence(2, 40));
      }
      if (random.nextInt(10) == 0) {
        b.ttl(Duration.ofHours(1));
      }
      batch.add(b.build());
    }
    List<Remembered> stored = mem.rememberAll(batch);
    for (int i = 0; i < stored.size(); i++) {
      String id = stored.get(i).memory().id();
      if (i % 17 == 0) {
        mem.forget(id);
      } else if (i % 29 == 0) {
        mem.purge(id);
      }
    }
    now = System.currentTimeMillis();
    MemoryEngine engine = EngineAccess.engine(mem);
    engine.read(
        "load",
        c -> {
          List<KeywordTerms.Prepared> docs = new ArrayList<>();
          for (KeywordIndex.Doc d : RecallQueries.searchTexts(c, 0, Long.MAX_VALUE, 100_000)) {
            docs.add(KeywordTerms.prepare(d));
          }
          index.addAll(docs, Long.MAX_VALUE - 1);
          return null;
        });
  }

  /** Between min and max words, common ones more often (rank-frequency like text). */
  private String sentence(int min, int max) {
    int n = min + random.nextInt(max - min + 1);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (s.length() > 0) {
        s.append(' ');
      }
      if (random.nextInt(3) == 0) {
        s.append(FILLER[random.nextInt(FILLER.length)]);
      } else {
        s.append(word());
      }
    }
    return s.toString();
  }

  private String word() {
    int r = (int) Math.floor(Math.pow(ROOTS.length + 1, random.nextDouble())) - 1;
    return ROOTS[Math.min(r, ROOTS.length - 1)] + SUFFIXES[random.nextInt(SUFFIXES.length)];
  }

  private List<String> query() {
    Set<String> words = new LinkedHashSet<>();
    int n = 1 + random.nextInt(5);
    while (words.size() < n) {
      words.add(random.nextInt(8) == 0 ? IDENTIFIERS[random.nextInt(4)] : word());
    }
    return FtsQuery.terms(String.join(" ", words));
  }

  @Test
  void bestMatchesAgreeWithFts5UnderEveryFilter() {
    List<MemoryFilter> filters =
        List.of(
            MemoryFilter.defaults(),
            MemoryFilter.builder().namespace("other").build(),
            MemoryFilter.builder().identifier("caroline").build(),
            MemoryFilter.builder().identifier("nobody").build(),
            MemoryFilter.builder()
                .statuses(Set.of(MemoryStatus.ACTIVE, MemoryStatus.ARCHIVED))
                .build());
    int compared = 0;
    for (int q = 0; q < 300; q++) {
      List<String> terms = query();
      if (terms.isEmpty()) {
        continue;
      }
      MemoryFilter filter = filters.get(q % filters.size());
      long at = q % 3 == 0 ? now + Duration.ofHours(2).toMillis() : now; // TTL rows expired
      for (boolean newest : new boolean[] {false, true}) {
        int limit = q % 2 == 0 ? 20 : 100;
        KeywordHits fts = fts(terms, newest, filter, at, limit);
        KeywordIndex.Hits ours =
            index.search(
                terms,
                newest,
                new KeywordIndex.Filter(
                    filter.namespace(), filter.identifier(), filter.statuses(), at),
                limit);
        assertSame(terms + " newest=" + newest + " " + filter, fts, ours);
        compared += fts.size();
      }
    }
    assertThat(compared).as("candidates compared").isGreaterThan(5_000);
  }

  private KeywordHits fts(
      List<String> terms, boolean newest, MemoryFilter filter, long at, int limit) {
    return EngineAccess.engine(mem)
        .read(
            "fts",
            c -> RecallQueries.ftsCandidates(c, FtsQuery.or(terms), newest, filter, at, limit));
  }

  /**
   * The same scores in the same order (to 1e-12 relative), and the same rows wherever a score is
   * not tied with the last one kept (rows tied at the cut may differ).
   */
  private static void assertSame(String what, KeywordHits fts, KeywordIndex.Hits ours) {
    assertThat(ours.size()).as(what + ": count").isEqualTo(fts.size());
    int n = fts.size();
    for (int i = 0; i < n; i++) {
      double expected = fts.bm25()[i];
      assertThat(ours.scores()[i])
          .as(what + ": score " + i)
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12 * Math.abs(expected)));
    }
    if (n == 0) {
      return;
    }
    double cut = fts.bm25()[n - 1];
    Set<Long> expected = new LinkedHashSet<>();
    Set<Long> actual = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      if (Math.abs(fts.bm25()[i] - cut) > 1e-12 * Math.abs(cut)) {
        expected.add(fts.seqs()[i]);
      }
      if (Math.abs(ours.scores()[i] - cut) > 1e-12 * Math.abs(cut)) {
        actual.add(ours.seqs()[i]);
      }
    }
    assertThat(actual).as(what + ": rows above the cut").isEqualTo(expected);
  }

  @org.junit.jupiter.api.AfterAll
  void close() {
    mem.close();
  }
}
