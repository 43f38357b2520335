package dev.hotmem.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongIntHashMapTest {

  @Test
  void putGetRemoveOnEdgeKeys() {
    LongIntHashMap map = new LongIntHashMap();
    long[] keys = {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE};
    for (int i = 0; i < keys.length; i++) {
      assertThat(map.put(keys[i], i)).isEqualTo(LongIntHashMap.ABSENT);
    }

    assertThat(map.size()).isEqualTo(keys.length);
    for (int i = 0; i < keys.length; i++) {
      assertThat(map.get(keys[i])).as("key %d", keys[i]).isEqualTo(i);
    }
    assertThat(map.get(2)).isEqualTo(LongIntHashMap.ABSENT);
    assertThat(map.put(0, 99)).isEqualTo(0);
    assertThat(map.get(0)).isEqualTo(99);
    assertThat(map.remove(Long.MIN_VALUE)).isEqualTo(3);
    assertThat(map.remove(Long.MIN_VALUE)).isEqualTo(LongIntHashMap.ABSENT);
    assertThat(map.get(Long.MIN_VALUE)).isEqualTo(LongIntHashMap.ABSENT);
    assertThat(map.size()).isEqualTo(keys.length - 1);
  }

  @Test
  void rejectsNegativeValues() {
    LongIntHashMap map = new LongIntHashMap();

    assertThatThrownBy(() -> map.put(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found -1");
    assertThat(map.size()).isZero();
  }

  @Test
  void keysSharingAHomeCellStayReachableAfterRemovalsInTheirRun() {
    // Keys chosen by home cell in the initial 16-cell table, so that one probe run wraps past the
    // end of the table: a key at home in cell 0 goes in first, then keys homed at 15 and 14 land
    // in cells 15, 1, 14, 2. Removing a key in cell 15 must leave the key in cell 0 where it is
    // (moving it would hide it from its home) and move the second home-15 key back. If the hash
    // changes the keys stop colliding but the test still checks correctness.
    long home0 = keysWithHome(0, 1).get(0);
    List<Long> home15 = keysWithHome(15, 2);
    List<Long> home14 = keysWithHome(14, 2);
    List<Long> keys = List.of(home0, home15.get(0), home15.get(1), home14.get(0), home14.get(1));
    LongIntHashMap map = new LongIntHashMap();
    for (int i = 0; i < keys.size(); i++) {
      map.put(keys.get(i), i);
    }

    map.remove(home15.get(0));
    map.remove(home14.get(0));

    assertThat(map.size()).isEqualTo(3);
    for (int i = 0; i < keys.size(); i++) {
      long key = keys.get(i);
      int expected = key == home15.get(0) || key == home14.get(0) ? LongIntHashMap.ABSENT : i;
      assertThat(map.get(key)).as("key %d", key).isEqualTo(expected);
    }
  }

  /** The first {@code count} positive keys whose home is {@code cell} in a 16-cell table. */
  private static List<Long> keysWithHome(int cell, int count) {
    List<Long> keys = new ArrayList<>();
    for (long key = 1; keys.size() < count; key++) {
      // Mirrors LongIntHashMap's hash: the high 4 bits of key * golden ratio.
      if ((key * 0x9E3779B97F4A7C15L) >>> 60 == cell) {
        keys.add(key);
      }
    }
    return keys;
  }

  @Test
  void randomOperationsAgreeWithHashMap() {
    long seed = Long.getLong("hotmem.seed", System.nanoTime());
    System.out.println(
        "randomOperationsAgreeWithHashMap seed="
            + seed
            + " (rerun with -Dhotmem.seed="
            + seed
            + ")");
    Random random = new Random(seed);
    LongIntHashMap map = new LongIntHashMap();
    Map<Long, Integer> reference = new HashMap<>();
    for (int op = 0; op < 200_000; op++) {
      // A small key range makes puts, overwrites and removes of present keys all common; every
      // 16th key is a wide random long.
      long key = op % 16 == 0 ? random.nextLong() : random.nextInt(5_000) - 100;
      int choice = random.nextInt(10);
      if (choice < 5) {
        int value = random.nextInt(Integer.MAX_VALUE);
        Integer previous = reference.put(key, value);
        assertThat(map.put(key, value))
            .as("seed %d, op %d, put %d", seed, op, key)
            .isEqualTo(previous == null ? LongIntHashMap.ABSENT : previous);
      } else if (choice < 8) {
        Integer previous = reference.remove(key);
        assertThat(map.remove(key))
            .as("seed %d, op %d, remove %d", seed, op, key)
            .isEqualTo(previous == null ? LongIntHashMap.ABSENT : previous);
      } else {
        Integer value = reference.get(key);
        assertThat(map.get(key))
            .as("seed %d, op %d, get %d", seed, op, key)
            .isEqualTo(value == null ? LongIntHashMap.ABSENT : value);
      }
      assertThat(map.size()).isEqualTo(reference.size());
    }
    for (Map.Entry<Long, Integer> e : reference.entrySet()) {
      assertThat(map.get(e.getKey())).as("seed %d", seed).isEqualTo(e.getValue());
    }
  }
}
