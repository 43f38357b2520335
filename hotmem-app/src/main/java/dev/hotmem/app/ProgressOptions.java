package dev.hotmem.app;

import picocli.CommandLine.Option;

/** {@code --progress WHEN}: the progress bar of the commands that do long work. */
final class ProgressOptions {
  @Option(
      names = "--progress",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description = "Progress bar on stderr: auto (on a terminal), always, never.")
  ProgressDisplay.When when;
}
