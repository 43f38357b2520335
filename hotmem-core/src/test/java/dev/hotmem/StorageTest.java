package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
  @TempDir Path dir;

  private HotMem open(MutableClock clock) {
    return HotMem.open(HotMemConfig.builder(dir.resolve("m.sqlite")).clock(clock).build());
  }

  @Test
  void everyFieldRoundTripsThroughTheFileAcrossReopen() {
    MutableClock clock = new MutableClock();
    Map<String, Object> metadata = Map.of("session", 3, "tags", List.of("a", "b"), "ok", true);
    Memory stored;
    try (HotMem mem = open(clock)) {
      stored =
          mem.remember(
                  NewMemory.builder("vendor_x", "Invoice total was $5000")
                      .namespace("acme")
                      .kind("fact")
                      .importance(0.8)
                      .category("billing")
                      .scope("q3-audit")
                      .source("erp")
                      .metadata(metadata)
                      .ttl(Duration.ofDays(2))
                      .build())
              .memory();
    }
    try (HotMem mem = open(clock)) {
      Memory m = mem.get(stored.id());
      assertThat(m).isEqualTo(stored);
      assertThat(m.id()).hasSize(26);
      assertThat(m.namespace()).isEqualTo("acme");
      assertThat(m.identifier()).isEqualTo("vendor_x");
      assertThat(m.content()).isEqualTo("Invoice total was $5000");
      assertThat(m.importance()).isEqualTo(0.8);
      assertThat(m.category()).isEqualTo("billing");
      assertThat(m.scope()).isEqualTo("q3-audit");
      assertThat(m.source()).isEqualTo("erp");
      assertThat(m.metadata()).isEqualTo(metadata);
      assertThat(m.contentHash()).hasSize(64);
      assertThat(m.createdAt()).isEqualTo(clock.instant());
      assertThat(m.updatedAt()).isEqualTo(clock.instant());
      assertThat(m.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(2)));
      assertThat(m.status()).isEqualTo(MemoryStatus.ACTIVE);
      assertThat(m.lastAccessedAt()).isNull();
      assertThat(m.accessCount()).isZero();
      assertThat(m.supersededBy()).isNull();
    }
  }

  @Test
  void defaultsApplyWhenFieldsAreOmitted() {
    try (HotMem mem = open(new MutableClock())) {
      Memory m = mem.remember("User prefers dark mode").memory();
      assertThat(m.namespace()).isEqualTo("default");
      assertThat(m.identifier()).isEqualTo("general");
      assertThat(m.kind()).isEqualTo("fact");
      assertThat(m.importance()).isEqualTo(0.5);
      assertThat(m.metadata()).isEmpty();
      assertThat(m.expiresAt()).isNull();
    }
  }

  @Test
  void idsSortByCreationOrder() {
    MutableClock clock = new MutableClock();
    try (HotMem mem = open(clock)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        ids.add(mem.remember("fact number " + i).memory().id());
        if (i % 10 == 0) {
          clock.advance(Duration.ofMillis(1));
        }
      }
      assertThat(ids).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void listPagesInCreationOrderBothWays() {
    MutableClock clock = new MutableClock();
    try (HotMem mem = open(clock)) {
      for (int i = 0; i < 25; i++) {
        mem.remember(NewMemory.of("alice", "note " + i));
        clock.advance(Duration.ofSeconds(1));
      }
      mem.remember(NewMemory.of("bob", "not alice's"));
      MemoryFilter alice = MemoryFilter.builder().identifier("alice").build();
      MemoryPage first = mem.list(new ListQuery(alice, 10, 0, SortOrder.ASC));
      MemoryPage third = mem.list(new ListQuery(alice, 10, 20, SortOrder.ASC));
      MemoryPage newest = mem.list(new ListQuery(alice, 3, 0, SortOrder.DESC));
      assertThat(first.total()).isEqualTo(25);
      assertThat(first.memories()).extracting(Memory::content).startsWith("note 0", "note 1");
      assertThat(third.count()).isEqualTo(5);
      assertThat(third.memories()).extracting(Memory::content).endsWith("note 24");
      assertThat(newest.memories())
          .extracting(Memory::content)
          .containsExactly("note 24", "note 23", "note 22");
    }
  }

  @Test
  void updateChangesOnlyWhatItNames() {
    MutableClock clock = new MutableClock();
    try (HotMem mem = open(clock)) {
      Memory m =
          mem.remember(NewMemory.builder("x", "a fact").category("old").importance(0.2).build())
              .memory();
      clock.advance(Duration.ofMinutes(1));
      Memory u = mem.update(m.id(), MemoryUpdate.importance(0.9));
      assertThat(u.importance()).isEqualTo(0.9);
      assertThat(u.category()).isEqualTo("old");
      assertThat(u.updatedAt()).isEqualTo(clock.instant());
      u = mem.update(m.id(), new MemoryUpdate(null, Map.of("k", "v"), ""));
      assertThat(u.metadata()).containsEntry("k", "v");
      assertThat(u.category()).isNull();
      assertThat(u.importance()).isEqualTo(0.9);
      assertThatThrownBy(() -> mem.update("01NOSUCHID", MemoryUpdate.importance(0.1)))
          .isInstanceOf(HotMemException.NotFound.class);
      assertThatThrownBy(() -> mem.update(m.id(), MemoryUpdate.importance(1.5)))
          .isInstanceOf(HotMemException.InvalidRequest.class)
          .hasMessageContaining("importance");
    }
  }

  @Test
  void invalidInputIsRefusedWithTheFieldNamedAndStoresNothing() {
    try (HotMem mem = open(new MutableClock())) {
      mem.remember("keep me");
      assertThatThrownBy(() -> NewMemory.builder("x", " ").build())
          .isInstanceOf(HotMemException.InvalidRequest.class)
          .hasMessageStartingWith("content");
      assertThatThrownBy(() -> NewMemory.builder("x", "y").importance(-0.1).build())
          .hasMessageStartingWith("importance");
      assertThatThrownBy(() -> NewMemory.builder("x\ny", "y").build())
          .hasMessageStartingWith("identifier");
      assertThatThrownBy(() -> NewMemory.builder("x", "y").ttl(Duration.ZERO).build())
          .hasMessageStartingWith("ttl_seconds");
      assertThatThrownBy(
              () ->
                  NewMemory.builder("x", "y")
                      .ttl(Duration.ofSeconds(Limits.MAX_TTL_SECONDS + 1))
                      .build())
          .hasMessageStartingWith("ttl_seconds: must be at most");
      assertThat(
              NewMemory.builder("x", "y")
                  .ttl(Duration.ofSeconds(Limits.MAX_TTL_SECONDS))
                  .build()
                  .ttl())
          .hasDays(Limits.MAX_TTL_SECONDS / 86_400);
      assertThatThrownBy(
              () -> NewMemory.builder("x", "y".repeat(Limits.MAX_CONTENT_CHARS + 1)).build())
          .hasMessageContaining("limit");
      // A batch with one bad item stores nothing at all.
      List<NewMemory> batch =
          List.of(
              NewMemory.of("x", "good one"),
              NewMemory.builder("x", "bad metadata").metadata(Map.of("k", new Object())).build());
      assertThatThrownBy(() -> mem.rememberAll(batch))
          .isInstanceOf(HotMemException.InvalidRequest.class)
          .hasMessageStartingWith("metadata");
      assertThat(mem.count()).isEqualTo(1);
      assertThat(mem.get(mem.list(ListQuery.of(null)).memories().get(0).id()).content())
          .isEqualTo("keep me");
    }
  }

  @Test
  void unknownIdsAreNotFound() {
    try (HotMem mem = open(new MutableClock())) {
      assertThatThrownBy(() -> mem.get("01ARZ3NDEKTSV4RRFFQ69G5FAV"))
          .isInstanceOf(HotMemException.NotFound.class)
          .extracting(e -> ((HotMemException) e).errorCode())
          .isEqualTo(ErrorCode.NOT_FOUND);
      assertThatThrownBy(() -> mem.get("")).isInstanceOf(HotMemException.InvalidRequest.class);
    }
  }

  @Test
  void aClosedStoreRefusesWorkWithConflict() {
    HotMem mem = open(new MutableClock());
    mem.close();
    mem.close(); // idempotent
    assertThatThrownBy(() -> mem.remember("late"))
        .isInstanceOf(HotMemException.Conflict.class)
        .hasMessageContaining("closed");
  }

  @Test
  void anEphemeralStoreWorksAndLeavesNoFile() {
    Path file;
    try (HotMem mem = HotMem.inMemory()) {
      mem.remember("temporary fact about kittens");
      assertThat(mem.recall("kittens").memories()).hasSize(1);
      file = mem.path();
      assertThat(file).exists();
    }
    assertThat(file).doesNotExist();
    assertThat(file.getParent()).doesNotExist();
  }
}
