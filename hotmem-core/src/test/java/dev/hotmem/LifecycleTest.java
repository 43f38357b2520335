package dev.hotmem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forget versus purge, TTL expiry, and what the file holds afterwards. */
class LifecycleTest {
  @TempDir Path dir;

  /** A token that appears nowhere else, so finding its bytes means the fact is still there. */
  private static final String SECRET = "zqxjvault7731";

  private static boolean fileContains(Path db, String needle) throws IOException {
    byte[] want = needle.getBytes(StandardCharsets.UTF_8);
    for (String suffix : new String[] {"", "-wal"}) {
      Path f = Path.of(db + suffix);
      if (Files.exists(f) && indexOf(Files.readAllBytes(f), want) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void forgetHidesEverywhereButKeepsTheRow() throws IOException {
    Path db = dir.resolve("forget.sqlite");
    try (HotMem mem = HotMem.open(db)) {
      Memory m = mem.remember(NewMemory.of("acct", "the password is " + SECRET)).memory();
      mem.remember(NewMemory.of("acct", "an unrelated password policy note"));
      mem.forget(m.id());
      assertThatThrownBy(() -> mem.get(m.id())).isInstanceOf(HotMemException.NotFound.class);
      assertThat(mem.recall("password " + SECRET).memories())
          .extracting(MemoryMessage::memoryId)
          .doesNotContain(m.id());
      assertThat(mem.list(ListQuery.of(null)).memories())
          .extracting(Memory::id)
          .doesNotContain(m.id());
      assertThat(mem.count()).isEqualTo(1);
      assertThatThrownBy(() -> mem.forget(m.id())).isInstanceOf(HotMemException.NotFound.class);
      assertThatThrownBy(() -> MemoryFilter.builder().status(MemoryStatus.FORGOTTEN).build())
          .isInstanceOf(HotMemException.InvalidRequest.class);
      mem.vacuum();
      // Soft delete: still in the file until purged.
      assertThat(fileContains(db, SECRET)).isTrue();
    }
  }

  @Test
  void purgeThenVacuumLeavesNoTraceInTheFile() throws IOException {
    Path db = dir.resolve("purge.sqlite");
    try (HotMem mem = HotMem.open(db)) {
      for (int i = 0; i < 200; i++) {
        mem.remember(NewMemory.of("acct", "filler memory number " + i + " about accounts"));
      }
      Memory secret = mem.remember(NewMemory.of("acct", "the vault code is " + SECRET)).memory();
      Memory forgotten = mem.remember(NewMemory.of("acct", "old code " + SECRET + "x")).memory();
      mem.forget(forgotten.id());
      assertThat(mem.recall(SECRET).memories())
          .extracting(MemoryMessage::memoryId)
          .startsWith(secret.id())
          .doesNotContain(forgotten.id());
      assertThat(fileContains(db, SECRET)).isTrue();

      mem.purge(secret.id());
      mem.purge(forgotten.id()); // purge works on forgotten memories too
      assertThatThrownBy(() -> mem.purge(secret.id())).isInstanceOf(HotMemException.NotFound.class);
      assertThat(mem.recall(SECRET).memories())
          .extracting(MemoryMessage::memoryId)
          .doesNotContain(secret.id(), forgotten.id());
      mem.vacuum();
      assertThat(fileContains(db, SECRET))
          .as("bytes of the purged text remain in the file")
          .isFalse();
      assertThat(mem.count()).isEqualTo(200);
      assertThat(mem.recall("filler accounts").memories()).isNotEmpty();
    }
  }

  @Test
  void expiredMemoriesNeverComeBackAndArePurgedLazily() throws IOException {
    MutableClock clock = new MutableClock();
    Path db = dir.resolve("ttl.sqlite");
    HotMemConfig config = HotMemConfig.builder(db).clock(clock).build();
    try (HotMem mem = HotMem.open(config)) {
      Memory shortLived =
          mem.remember(
                  NewMemory.builder("otp", "one-time code " + SECRET)
                      .ttl(Duration.ofMinutes(5))
                      .build())
              .memory();
      Memory lasting = mem.remember(NewMemory.of("otp", "codes are six digits")).memory();
      assertThat(mem.recall("code " + SECRET).memories())
          .extracting(MemoryMessage::memoryId)
          .contains(shortLived.id());

      clock.advance(Duration.ofMinutes(5));
      assertThat(mem.recall("code " + SECRET).memories())
          .extracting(MemoryMessage::memoryId)
          .containsExactly(lasting.id());
      assertThatThrownBy(() -> mem.get(shortLived.id()))
          .isInstanceOf(HotMemException.NotFound.class);
      assertThat(mem.count()).isEqualTo(1);
      assertThat(mem.list(ListQuery.of(null)).total()).isEqualTo(1);
      // Re-adding the same fact after expiry stores a fresh memory rather than the expired one.
      Remembered again = mem.remember(NewMemory.builder("otp", "one-time code " + SECRET).build());
      assertThat(again.duplicate()).isFalse();
      mem.purge(again.memory().id());

      // Lazy purge happens on the write path; purgeExpired forces it.
      assertThat(mem.purgeExpired()).isZero(); // the write above already swept it
      mem.vacuum();
      assertThat(fileContains(db, SECRET)).isFalse();
    }
  }

  @Test
  void recallUpdatesAccessCountsWithoutBlocking() {
    MutableClock clock = new MutableClock();
    try (HotMem mem = HotMem.open(HotMemConfig.ephemeral().clock(clock).build())) {
      Memory m = mem.remember(NewMemory.of("x", "kittens like warm rugs")).memory();
      clock.advance(Duration.ofHours(1));
      mem.recall("kittens");
      mem.recall("warm rugs");
      mem.flush();
      Memory after = mem.get(m.id());
      assertThat(after.accessCount()).isEqualTo(2);
      assertThat(after.lastAccessedAt()).isEqualTo(clock.instant());
      assertThat(after.updatedAt()).isEqualTo(m.updatedAt()); // access is not an update
    }
  }
}
