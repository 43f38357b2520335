package dev.hotmem.mcp;

import dev.hotmem.HotMemException.InvalidRequest;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The arguments of one tool call, read with the checks the tool's schema promises. Clients do not
 * all validate against the schema, and a model may send anything: every read names the argument and
 * says what was expected and what was found. Failures are {@link InvalidRequest}s, which the tool
 * turns into a tool error.
 */
final class ToolArguments {
  private final String tool;
  private final Map<String, Object> args;

  ToolArguments(String tool, Map<String, Object> args) {
    this.tool = tool;
    this.args = args == null ? Map.of() : args;
  }

  /** Refuses arguments the tool does not know, so a misspelt optional one is not silently lost. */
  void allowOnly(Set<String> known) {
    Set<String> unknown = new TreeSet<>(args.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new InvalidRequest(
          null,
          tool
              + " does not take "
              + String.join(", ", unknown)
              + (known.isEmpty()
                  ? "; it takes no arguments"
                  : "; its arguments are " + String.join(", ", new TreeSet<>(known))));
    }
  }

  /** A required string that is not blank. */
  String text(String name) {
    String value = optionalText(name);
    if (value == null) {
      throw new InvalidRequest(name, "is required (a non-empty string)");
    }
    return value;
  }

  /** An optional string; absent or null gives null, blank is refused. */
  String optionalText(String name) {
    Object v = args.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String)) {
      throw new InvalidRequest(name, "must be a string; found " + describe(v));
    }
    String s = (String) v;
    if (s.isBlank()) {
      throw new InvalidRequest(name, "must not be blank");
    }
    return s;
  }

  /** An optional integer in [min, max]; absent or null gives null. Accepts 5 and 5.0, not "5". */
  Long optionalInteger(String name, long min, long max) {
    Object v = args.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number)) {
      throw new InvalidRequest(name, "must be an integer; found " + describe(v));
    }
    long value;
    try {
      value = new BigDecimal(v.toString()).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new InvalidRequest(name, "must be an integer; found " + v);
    }
    if (value < min || value > max) {
      throw new InvalidRequest(name, "must be between " + min + " and " + max + "; found " + value);
    }
    return value;
  }

  /** A required integer in [min, max]. */
  long integer(String name, long min, long max) {
    Long value = optionalInteger(name, min, max);
    if (value == null) {
      throw new InvalidRequest(name, "is required (an integer)");
    }
    return value;
  }

  /** An optional finite number in [min, max]; absent or null gives null. */
  Double optionalNumber(String name, double min, double max) {
    Object v = args.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number)) {
      throw new InvalidRequest(name, "must be a number; found " + describe(v));
    }
    double d = ((Number) v).doubleValue();
    if (!Double.isFinite(d) || d < min || d > max) {
      throw new InvalidRequest(name, "must be between " + min + " and " + max + "; found " + v);
    }
    return d;
  }

  private static String describe(Object v) {
    String type;
    if (v instanceof String) {
      type = "a string";
    } else if (v instanceof Boolean) {
      type = "a boolean";
    } else if (v instanceof Number) {
      type = "a number";
    } else if (v instanceof Map) {
      type = "an object";
    } else if (v instanceof Iterable) {
      type = "an array";
    } else {
      type = v.getClass().getSimpleName();
    }
    String shown = String.valueOf(v);
    if (shown.length() > 40) {
      shown = shown.substring(0, 40) + "…";
    }
    return type + " (" + shown + ")";
  }
}
