package dev.hotmem.internal.swap;

/** A swap line that cannot be loaded; the message says why, without the line number. */
public final class BadLineException extends Exception {
  private static final long serialVersionUID = 1L;

  public BadLineException(String message) {
    super(message, null, false, false);
  }
}
