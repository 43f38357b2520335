package dev.hotmem.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.HotMemException.InvalidRequest;
import dev.hotmem.Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataCodecTest {
  @Test
  void jsonValuesRoundTripAndComeBackUnmodifiable() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("s", "text \"quoted\" \u0000 ✓");
    in.put("n", 3);
    in.put("d", 2.5);
    in.put("b", true);
    in.put("nil", null);
    in.put("list", List.of(1, "two", Map.of("k", false)));
    Map<String, Object> out = MetadataCodec.decode(MetadataCodec.encode(in));
    assertThat(out).isEqualTo(in);
    assertThatThrownBy(() -> out.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) out.get("list");
    assertThatThrownBy(() -> list.add(1)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(MetadataCodec.decode(MetadataCodec.encode(Map.of()))).isEmpty();
  }

  @Test
  void nonJsonValuesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> MetadataCodec.encode(Map.of("o", new Object())))
        .isInstanceOf(InvalidRequest.class)
        .hasMessageStartingWith("metadata")
        .hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> MetadataCodec.encode(Map.of("nan", Double.NaN)))
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> MetadataCodec.encode(Map.of("inf", Float.POSITIVE_INFINITY)))
        .hasMessageContaining("finite");
    Map<Object, Object> badKey = new HashMap<>();
    badKey.put(1, "x");
    assertThatThrownBy(() -> MetadataCodec.encode(Map.of("nested", badKey)))
        .hasMessageContaining("keys must be strings");
  }

  @Test
  void hostileShapesAreRefusedNotCrashed() {
    Map<String, Object> deep = new HashMap<>();
    Map<String, Object> cursor = deep;
    for (int i = 0; i < 1_000; i++) {
      Map<String, Object> next = new HashMap<>();
      cursor.put("k", next);
      cursor = next;
    }
    assertThatThrownBy(() -> MetadataCodec.encode(deep)).hasMessageContaining("deeper than");

    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> MetadataCodec.encode(Map.of("cycle", cycle)))
        .isInstanceOf(InvalidRequest.class);

    Map<String, Object> huge = Map.of("blob", "x".repeat(Limits.MAX_METADATA_CHARS));
    assertThatThrownBy(() -> MetadataCodec.encode(huge))
        .isInstanceOf(InvalidRequest.class)
        .hasMessageContaining("limit");
  }
}
