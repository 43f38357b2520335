package dev.hotmem.app;

import dev.hotmem.HotMemException;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Builds engine requests from options, so that an out-of-range option is a usage error (2). */
final class Args {
  private Args() {}

  /**
   * Runs {@code build}; the engine's validation failures ({@link HotMemException.InvalidRequest})
   * and {@link IllegalArgumentException}s become picocli parameter exceptions.
   */
  static <T> T check(CommandSpec spec, Supplier<T> build) {
    try {
      return build.get();
    } catch (HotMemException.InvalidRequest e) {
      throw new ParameterException(spec.commandLine(), optionMessage(e), e);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** "top_k: must be between 1 and 100; found 500" becomes "--top-k: must be between ...". */
  static String optionMessage(HotMemException.InvalidRequest e) {
    String field = e.field();
    String message = e.getMessage();
    if (field == null) {
      return message;
    }
    String detail =
        message.startsWith(field + ": ") ? message.substring(field.length() + 2) : message;
    String name =
        switch (field) {
          case "content" -> "FACT";
          case "query" -> "QUERY";
          default -> "--" + field.replace('_', '-');
        };
    return name + ": " + detail;
  }
}
