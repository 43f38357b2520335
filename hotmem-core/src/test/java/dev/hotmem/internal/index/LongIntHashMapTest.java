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
    // Keys whose home is cell 14 or 15 of the initial 16-cell table, by the map's hash (high bits
    // of key * golden ratio), so their probe run wraps past the end of the table. If the hash
    // changes they stop colliding but the test still checks correctness, and the randomized test
    // below covers ordinary probe runs.
    LongIntHashMap map = new LongIntHashMap();
    List<Long> colliding = new ArrayList<>();
    int atHome14 = 0;
    int atHome15 = 0;
    for (long key = 1; colliding.size() < 7; key++) {
      long home = (key * 0x9E3779B97F4A7C15L) >>> 60;
      if (home == 14 && atHome14 < 4) {
        atHome14++;
        colliding.add(key);
      } else if (home == 15 && atHome15 < 3) {
        atHome15++;
        colliding.add(key);
      }
    }
    for (int i = 0; i < colliding.size(); i++) {
      map.put(colliding.get(i), i);
    }

    map.remove(colliding.get(0));
    map.remove(colliding.get(3));

    for (int i = 0; i < colliding.size(); i++) {
      int expected = i == 0 || i == 3 ? LongIntHashMap.ABSENT : i;
      assertThat(map.get(colliding.get(i))).as("key %d", colliding.get(i)).isEqualTo(expected);
    }
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
