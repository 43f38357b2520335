package dev.hotmem.app;

import dev.hotmem.HotMemException;
import dev.hotmem.client.HotMemClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on standard error and an exit code: 2 for usage errors
 * (picocli's parameter exceptions and {@link UsageError}), 1 for everything else. The stack trace
 * is printed only with {@code --verbose}.
 */
final class CliErrors {
  static final int OK = CommandLine.ExitCode.OK;
  static final int RUNTIME = CommandLine.ExitCode.SOFTWARE;
  static final int USAGE = CommandLine.ExitCode.USAGE;

  private CliErrors() {}

  /** A command line that parses but asks for something contradictory or out of range: exit 2. */
  static final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }

  static int onUsageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String message = e.getMessage();
    if (e instanceof UnmatchedArgumentException unmatched
        && !unmatched.getSuggestions().isEmpty()) {
      List<String> suggestions = unmatched.getSuggestions();
      message +=
          "; did you mean '"
              + String.join("' or '", suggestions.subList(0, Math.min(3, suggestions.size())))
              + "'?";
    }
    report(cmd.getErr(), usageLine(cmd, message), e, verbose(cmd.getParseResult()));
    return USAGE;
  }

  static int onRuntimeError(Exception e, CommandLine cmd, ParseResult parsed) {
    boolean verbose = verbose(parsed);
    if (e instanceof UsageError) {
      report(cmd.getErr(), usageLine(cmd, e.getMessage()), e, verbose);
      return USAGE;
    }
    report(cmd.getErr(), describe(e), e, verbose);
    return RUNTIME;
  }

  /** The one-line message for a failure, without the {@code hotmem: error:} prefix. */
  static String describe(Throwable e) {
    String message;
    if (e instanceof HotMemException h) {
      message = describeCode(h);
    } else if (e instanceof HotMemClientException c) {
      message = describeClient(c);
    } else if (e instanceof UncheckedIOException u) {
      message = describeIo(u.getCause());
    } else if (e instanceof IOException io) {
      message = describeIo(io);
    } else if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
      message = String.valueOf(e.getMessage());
    } else {
      message = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    Throwable root = rootCause(e);
    if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
      message += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return oneLine(message);
  }

  private static String describeCode(HotMemException e) {
    String detail = e.getMessage();
    return switch (e.errorCode()) {
      case INVALID_REQUEST -> "invalid request: " + detail;
      case NOT_FOUND -> "not found: " + detail;
      case CONFLICT -> "conflict: " + detail;
      case BUSY ->
          "the store is busy (another writer held it past the busy timeout; retrying may succeed): "
              + detail;
      case INCOMPATIBLE_STORE -> "incompatible store: " + detail;
      case CORRUPT_STORE -> "corrupt store: " + detail;
      case EMBEDDING_FAILED -> "embedding failed: " + detail;
      case STORAGE_FAILED -> "storage failed: " + detail;
    };
  }

  private static String describeClient(HotMemClientException e) {
    if (e.status() == 0) {
      return e.code().replace('_', ' ') + ": " + e.getMessage();
    }
    return "the server answered " + e.status() + " " + e.code() + ": " + e.getMessage();
  }

  private static String describeIo(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file: " + e.getMessage();
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists: " + e.getMessage();
    }
    if (e instanceof ConnectException) {
      return "cannot connect: " + e.getMessage();
    }
    return "I/O error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static String usageLine(CommandLine cmd, String message) {
    return oneLine(message) + " (see '" + cmd.getCommandSpec().qualifiedName(" ") + " --help')";
  }

  private static void report(PrintWriter err, String line, Throwable e, boolean verbose) {
    err.println("hotmem: error: " + line);
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
