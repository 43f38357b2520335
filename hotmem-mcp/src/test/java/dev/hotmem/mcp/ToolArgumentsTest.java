package dev.hotmem.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotmem.HotMemException.InvalidRequest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolArgumentsTest {

  static ToolArguments of(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return new ToolArguments("t", m);
  }

  @Test
  void textIsRequiredNonBlankAndAString() {
    assertThat(of("a", "x").text("a")).isEqualTo("x");
    assertThatThrownBy(() -> of().text("a"))
        .isInstanceOf(InvalidRequest.class)
        .hasMessage("a: is required (a non-empty string)");
    assertThatThrownBy(() -> of("a", " \t").text("a")).hasMessageContaining("blank");
    assertThatThrownBy(() -> of("a", 1).text("a"))
        .hasMessage("a: must be a string; found a number (1)");
    assertThatThrownBy(() -> of("a", true).text("a")).hasMessageContaining("a boolean");
    assertThatThrownBy(() -> of("a", List.of("x")).text("a")).hasMessageContaining("an array");
    assertThatThrownBy(() -> of("a", Map.of("k", "v")).text("a")).hasMessageContaining("an object");
    assertThat(of("a", "y".repeat(100)).text("a")).hasSize(100);
    assertThat(of("a", null).optionalText("a")).isNull();
  }

  @Test
  void integersAreWholeNumbersInRange() {
    assertThat(of("n", 5).optionalInteger("n", 1, 10)).isEqualTo(5L);
    assertThat(of("n", 5.0).optionalInteger("n", 1, 10)).isEqualTo(5L);
    assertThat(of("n", 7L).integer("n", 0, Long.MAX_VALUE)).isEqualTo(7L);
    assertThat(of().optionalInteger("n", 1, 10)).isNull();
    assertThatThrownBy(() -> of("n", 5.5).optionalInteger("n", 1, 10))
        .hasMessageContaining("integer");
    assertThatThrownBy(() -> of("n", "5").optionalInteger("n", 1, 10))
        .hasMessageContaining("a string");
    assertThatThrownBy(() -> of("n", 0).optionalInteger("n", 1, 10))
        .hasMessage("n: must be between 1 and 10; found 0");
    assertThatThrownBy(
            () -> of("n", new BigInteger("99999999999999999999999")).optionalInteger("n", 1, 10))
        .hasMessageContaining("integer");
    assertThatThrownBy(() -> of("n", new BigDecimal("1e400")).optionalInteger("n", 1, 10))
        .hasMessageContaining("integer");
    assertThatThrownBy(() -> of("n", Double.NaN).optionalInteger("n", 1, 10))
        .isInstanceOf(InvalidRequest.class);
    assertThatThrownBy(() -> of("n", Double.POSITIVE_INFINITY).optionalInteger("n", 1, 10))
        .isInstanceOf(InvalidRequest.class);
    assertThatThrownBy(() -> of().integer("n", 1, 10)).hasMessage("n: is required (an integer)");
  }

  @Test
  void numbersAreFiniteAndInRange() {
    assertThat(of("x", 0.25).optionalNumber("x", 0, 1)).isEqualTo(0.25);
    assertThat(of("x", 1).optionalNumber("x", 0, 1)).isEqualTo(1.0);
    assertThatThrownBy(() -> of("x", 1.01).optionalNumber("x", 0, 1))
        .hasMessageContaining("between");
    assertThatThrownBy(() -> of("x", Double.NaN).optionalNumber("x", 0, 1))
        .isInstanceOf(InvalidRequest.class);
    assertThatThrownBy(() -> of("x", "0.5").optionalNumber("x", 0, 1))
        .hasMessageContaining("a string");
  }

  @Test
  void unknownArgumentsAreNamed() {
    of("a", 1).allowOnly(Set.of("a", "b"));
    assertThatThrownBy(() -> of("a", 1, "zz", 2, "c", 3).allowOnly(Set.of("a", "b")))
        .hasMessage("t does not take c, zz; its arguments are a, b");
    assertThatThrownBy(() -> of("extra", 1).allowOnly(Set.of()))
        .hasMessage("t does not take extra; it takes no arguments");
  }

  @Test
  void longValuesAreShortenedInMessages() {
    assertThatThrownBy(() -> of("a", List.of("x".repeat(500))).text("a"))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
  }
}
