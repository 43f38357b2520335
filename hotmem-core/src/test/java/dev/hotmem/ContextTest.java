package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.HashEmbedder;
import dev.hotmem.swap.HydrateOptions;
import dev.hotmem.swap.SnapshotOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A memory's context: stored, returned, searched by keyword below the content, embedded with the
 * content on every path (remember, hydrate, reindex), carried by swap files, and not part of the
 * duplicate check.
 */
class ContextTest {
  @TempDir Path dir;

  /** A hash embedder that records every text it is asked to embed. */
  private static final class Recording implements Embedder {
    final HashEmbedder inner;
    final List<String> texts = Collections.synchronizedList(new ArrayList<>());

    Recording(HashEmbedder inner) {
      this.inner = inner;
    }

    @Override
    public String id() {
      return inner.id();
    }

    @Override
    public String spec() {
      return inner.spec();
    }

    @Override
    public int dimension() {
      return inner.dimension();
    }

    @Override
    public List<float[]> embed(List<String> batch) {
      texts.addAll(batch);
      return inner.embed(batch);
    }
  }

  private static NewMemory withContext(String content, String context) {
    return NewMemory.builder("chat", content).context(context).build();
  }

  @Test
  void theContextIsStoredAndReturnedButIsNotTheMemorysText() {
    try (HotMem mem = HotMem.inMemory()) {
      Memory m =
          mem.remember(withContext("Yes, the red one.", "Did you buy the bicycle?")).memory();
      assertThat(m.context()).isEqualTo("Did you buy the bicycle?");
      assertThat(mem.get(m.id()).context()).isEqualTo("Did you buy the bicycle?");
      assertThat(mem.get(m.id()).content()).isEqualTo("Yes, the red one.");
      assertThat(mem.remember(NewMemory.of("chat", "no context")).memory().context()).isNull();
      // Blank is no context.
      assertThat(mem.remember(withContext("blank context", "  ")).memory().context()).isNull();
    }
  }

  @Test
  void aKeywordOnlyInTheContextFindsTheMemoryButRanksBelowOneInTheContent() {
    try (HotMem mem = HotMem.inMemory()) {
      Memory answer =
          mem.remember(withContext("Yes, the red one.", "Did you buy the bicycle?")).memory();
      Memory says = mem.remember(NewMemory.of("chat", "My bicycle has a flat tyre.")).memory();
      mem.remember(NewMemory.of("chat", "Unrelated words about lunch."));
      List<MemoryMessage> hits = mem.recall("bicycle").memories();
      assertThat(hits).extracting(MemoryMessage::memoryId).startsWith(says.id(), answer.id());
      // The message is the content, never the context.
      assertThat(hits.get(1).content()).isEqualTo("Yes, the red one.");
    }
  }

  @Test
  void theSameContentWithAnotherContextIsADuplicate() {
    try (HotMem mem = HotMem.inMemory()) {
      Remembered first = mem.remember(withContext("Yes.", "Is it raining?"));
      Remembered again = mem.remember(withContext("Yes.", "Is it sunny?"));
      assertThat(again.duplicate()).isTrue();
      assertThat(again.memory().id()).isEqualTo(first.memory().id());
      assertThat(again.memory().context()).isEqualTo("Is it raining?");
    }
  }

  @Test
  void anOverlongContextIsRefusedNamingTheField() {
    String tooLong = "x".repeat(Limits.MAX_CONTEXT_CHARS + 1);
    assertThatThrownBy(() -> withContext("fact", tooLong))
        .isInstanceOf(HotMemException.InvalidRequest.class)
        .hasMessageContaining("context");
    try (HotMem mem = HotMem.inMemory()) {
      assertThat(mem.remember(withContext("fact", "x".repeat(Limits.MAX_CONTEXT_CHARS))))
          .isNotNull();
    }
  }

  @Test
  void rememberHydrateAndReindexAllEmbedTheContextWithTheContent() throws Exception {
    String expected = "Did you buy the bicycle?\nYes, the red one.";
    Path db = dir.resolve("a.sqlite");
    Recording remember = new Recording(new HashEmbedder());
    try (HotMem mem = HotMem.open(HotMemConfig.builder(db).embedder(remember).build())) {
      mem.remember(withContext("Yes, the red one.", "Did you buy the bicycle?"));
      mem.snapshot(
          dir.resolve("plain.jsonl"), SnapshotOptions.defaults().withIncludeEmbeddings(false));
    }
    assertThat(remember.texts).containsExactly(expected);

    Recording hydrate = new Recording(new HashEmbedder());
    Path other = dir.resolve("b.sqlite");
    try (HotMem mem = HotMem.open(HotMemConfig.builder(other).embedder(hydrate).build())) {
      assertThat(mem.hydrate(dir.resolve("plain.jsonl"), HydrateOptions.defaults()).loaded())
          .isEqualTo(1);
    }
    assertThat(hydrate.texts).containsExactly(expected);

    Recording reindex = new Recording(new HashEmbedder(32));
    HotMem.reindex(db, reindex, ReindexOptions.defaults());
    assertThat(reindex.texts).containsExactly(expected);
  }

  @Test
  void aSwapFileCarriesTheContextBothWays() throws Exception {
    Path file = dir.resolve("swap.jsonl");
    try (HotMem mem = HotMem.inMemory()) {
      mem.remember(withContext("Yes, the red one.", "Did you buy the bicycle?"));
      mem.remember(NewMemory.of("chat", "no context here"));
      mem.snapshot(file, SnapshotOptions.defaults());
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines.get(0)).contains("\"context\":\"Did you buy the bicycle?\"");
    assertThat(lines.get(1)).doesNotContain("\"context\"");
    try (HotMem copy = HotMem.inMemory()) {
      copy.hydrate(file, HydrateOptions.defaults());
      List<Memory> all = copy.list(new ListQuery(null, 10, 0, SortOrder.ASC)).memories();
      assertThat(all).extracting(Memory::context).containsExactly("Did you buy the bicycle?", null);
      assertThat(copy.recall("bicycle").memories().get(0).content()).isEqualTo("Yes, the red one.");
    }
  }
}
