package dev.hotmem.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The migration list is numbered 1, 2, 3... without gaps or repeats: the runner applies every
 * migration above the file's version in list order, so a gap would be skipped by a store that
 * another branch's numbering already moved past.
 */
class MigrationsTest {
  @Test
  void versionsAreConsecutiveFromOne() {
    List<Integer> versions = Migrations.ALL.stream().map(Migrations.Migration::version).toList();
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i)).as("migration at position %d", i).isEqualTo(i + 1);
    }
    assertThat(Migrations.LATEST).isEqualTo(versions.size());
  }
}
