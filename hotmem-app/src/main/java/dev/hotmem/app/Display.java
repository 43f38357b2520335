package dev.hotmem.app;

/** Helpers for the readable (non-JSON) output. */
final class Display {
  private Display() {}

  /** {@code text} on one line: line breaks shown as "⏎". */
  static String line(String text) {
    return text == null ? "" : text.replaceAll("\\r?\\n", " ⏎ ");
  }
}
