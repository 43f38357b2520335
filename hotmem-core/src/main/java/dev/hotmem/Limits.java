package dev.hotmem;

import dev.hotmem.HotMemException.InvalidRequest;

/**
 * The size limits every face enforces, and the one place requests are checked against them. Limits
 * protect the store from hostile input; they are generous for real use.
 */
public final class Limits {
  /** Longest fact text, in chars. */
  public static final int MAX_CONTENT_CHARS = 100_000;

  /** Longest context (the text a memory answers or follows), in chars. */
  public static final int MAX_CONTEXT_CHARS = 10_000;

  /** Longest recall query, in chars. Longer queries are refused, not truncated. */
  public static final int MAX_QUERY_CHARS = 100_000;

  /** Longest identifier, in chars. */
  public static final int MAX_IDENTIFIER_CHARS = 256;

  /** Longest namespace, in chars. */
  public static final int MAX_NAMESPACE_CHARS = 128;

  /** Longest category, scope, kind or source label, in chars. */
  public static final int MAX_LABEL_CHARS = 256;

  /** Largest metadata object, as serialized JSON, in chars. */
  public static final int MAX_METADATA_CHARS = 65_536;

  /** Longest time to live, in seconds: 100 years (so creation time plus TTL cannot overflow). */
  public static final long MAX_TTL_SECONDS = 3_162_240_000L;

  /** Most results a recall may ask for. */
  public static final int MAX_TOP_K = 100;

  /** Most memories a list page may hold. */
  public static final int MAX_PAGE = 1_000;

  private Limits() {}

  /** Requires a non-blank string of at most {@code max} chars without control characters. */
  static String requireLabel(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequest(field, "must not be empty");
    }
    return optionalLabel(field, value, max);
  }

  /** Like {@link #requireLabel} but null passes through (blank becomes null). */
  static String optionalLabel(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > max) {
      throw new InvalidRequest(field, "is " + value.length() + " chars long; the limit is " + max);
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new InvalidRequest(field, "must not contain control characters (at index " + i + ")");
      }
    }
    return value;
  }

  /** Requires non-blank text of at most {@code max} chars (control characters allowed). */
  static String requireText(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequest(field, "must not be empty");
    }
    if (value.length() > max) {
      throw new InvalidRequest(field, "is " + value.length() + " chars long; the limit is " + max);
    }
    return value;
  }

  /** Like {@link #requireText} but null passes through (blank becomes null). */
  static String optionalText(String field, String value, int max) {
    return value == null || value.isBlank() ? null : requireText(field, value, max);
  }

  /** Checks {@code value} is in [0, 1]; returns it with -0.0 turned into 0.0. */
  static double requireUnit(String field, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new InvalidRequest(field, "must be between 0 and 1; found " + value);
    }
    return value + 0.0; // -0.0 + 0.0 == +0.0: a stored or echoed -0.0 would surprise every reader
  }
}
