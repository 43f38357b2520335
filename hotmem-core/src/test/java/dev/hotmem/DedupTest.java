package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DedupTest {
  @Test
  void aDuplicateAddReturnsTheExistingMemory() {
    try (HotMem mem = HotMem.inMemory()) {
      Remembered first = mem.remember(NewMemory.of("vendor_x", "Invoice total was $5000"));
      Remembered again = mem.remember(NewMemory.of("vendor_x", "Invoice total was $5000"));
      assertThat(first.duplicate()).isFalse();
      assertThat(again.duplicate()).isTrue();
      assertThat(again.memory().id()).isEqualTo(first.memory().id());
      assertThat(mem.count()).isEqualTo(1);
    }
  }

  @Test
  void identityIsNamespacePlusIdentifierPlusContent() {
    try (HotMem mem = HotMem.inMemory()) {
      mem.remember(NewMemory.of("vendor_x", "total was $5000"));
      assertThat(mem.remember(NewMemory.of("vendor_y", "total was $5000")).duplicate()).isFalse();
      assertThat(
              mem.remember(
                      NewMemory.builder("vendor_x", "total was $5000").namespace("other").build())
                  .duplicate())
          .isFalse();
      assertThat(mem.remember(NewMemory.of("vendor_x", "total was $5001")).duplicate()).isFalse();
      // The separator makes ("ab", "c") and ("a", "bc") different memories.
      assertThat(mem.remember(NewMemory.of("ab", "c")).memory().contentHash())
          .isNotEqualTo(mem.remember(NewMemory.of("a", "bc")).memory().contentHash());
    }
  }

  @Test
  void duplicatesWithinABatchAreStoredOnce() {
    try (HotMem mem = HotMem.inMemory()) {
      List<Remembered> out =
          mem.rememberAll(
              List.of(
                  NewMemory.of("x", "same"),
                  NewMemory.of("x", "other"),
                  NewMemory.of("x", "same")));
      assertThat(out).extracting(Remembered::duplicate).containsExactly(false, false, true);
      assertThat(out.get(2).memory().id()).isEqualTo(out.get(0).memory().id());
      assertThat(mem.count()).isEqualTo(2);
    }
  }

  @Test
  void aForgottenMemoryDoesNotBlockStoringTheFactAgain() {
    try (HotMem mem = HotMem.inMemory()) {
      Memory old = mem.remember(NewMemory.of("x", "the sky is green")).memory();
      mem.forget(old.id());
      Remembered again = mem.remember(NewMemory.of("x", "the sky is green"));
      assertThat(again.duplicate()).isFalse();
      assertThat(again.memory().id()).isNotEqualTo(old.id());
    }
  }

  @Test
  void aLargeBatchMapsEveryResultToItsInputAcrossInsertChunks() {
    try (HotMem mem = HotMem.inMemory()) {
      List<NewMemory> earlier = new ArrayList<>();
      for (int i = 0; i < 300; i += 7) {
        earlier.add(NewMemory.of("bulk", "fact number " + i));
      }
      mem.rememberAll(earlier);
      List<NewMemory> batch = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        batch.add(NewMemory.of("bulk", "fact number " + i));
      }
      List<Remembered> out = mem.rememberAll(batch);
      assertThat(out).hasSize(300);
      for (int i = 0; i < 300; i++) {
        assertThat(out.get(i).memory().content()).isEqualTo("fact number " + i);
        assertThat(out.get(i).duplicate()).isEqualTo(i % 7 == 0);
        assertThat(mem.get(out.get(i).memory().id()).content()).isEqualTo("fact number " + i);
      }
      assertThat(mem.count()).isEqualTo(300);
      assertThat(mem.recall("fact number 299").memories().get(0).content())
          .isEqualTo("fact number 299");
    }
  }
}
