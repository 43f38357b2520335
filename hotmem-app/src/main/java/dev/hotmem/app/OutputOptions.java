package dev.hotmem.app;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --json}: the wire format on one line instead of the readable default. */
final class OutputOptions {
  @Option(
      names = "--json",
      description = "Print the answer as JSON, in the HTTP API's wire format (one line).")
  boolean json;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  PrintWriter out() {
    return mixee.commandLine().getOut();
  }

  PrintWriter err() {
    return mixee.commandLine().getErr();
  }

  /** Prints {@code value} as one JSON line. */
  void printJson(Object value) {
    PrintWriter out = out();
    out.println(WireFormat.json(value));
    out.flush();
  }
}
