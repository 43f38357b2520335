package dev.hotmem.app;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code hotmem} command: the sidecar ({@code serve}), the MCP server ({@code mcp}), swap files
 * ({@code hydrate}, {@code snapshot}), {@code status}, {@code reindex}, and {@code add} / {@code
 * search} / {@code list} / {@code forget} for scripts. It holds no logic of its own: every command
 * is a thin edge over the engine, the server or the client.
 *
 * <p>Exit codes: 0 ok, 1 runtime error, 2 usage error. Errors are one line on standard error
 * ({@code hotmem: error: ...}); {@code --verbose} adds the stack trace.
 */
@Command(
    name = "hotmem",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Local-first memory for LLM agents: one SQLite file, one port (8711).",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      ServeCommand.class,
      McpCommand.class,
      HydrateCommand.class,
      SnapshotCommand.class,
      StatusCommand.class,
      AddCommand.class,
      SearchCommand.class,
      ListCommand.class,
      ForgetCommand.class,
      ReindexCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "1:runtime error (one line on stderr)", "2:usage error"},
    footerHeading = "%n",
    footer = "Run 'hotmem COMMAND --help' for a command's options. Reference: docs/CLI.md")
public final class HotMemCli implements Runnable {

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On an error, print the stack trace too.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line with these streams and returns its exit code (never throws). */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    return newCommandLine(out, err).execute(args);
  }

  static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new HotMemCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(CliErrors::onUsageError);
    cli.setExecutionExceptionHandler(CliErrors::onRuntimeError);
    return cli;
  }
}
