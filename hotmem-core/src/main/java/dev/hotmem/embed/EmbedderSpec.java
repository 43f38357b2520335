package dev.hotmem.embed;

import java.util.Locale;
import java.util.Objects;

/**
 * Which embedder to use, as the user writes it: {@code hash}, {@code hash:256}, {@code local},
 * {@code local:all-minilm-l6-v2}, {@code openai:text-embedding-3-small}. The part before the first
 * colon is the {@link #scheme()} (case-insensitive, stored lower-case); the rest, if any, is the
 * {@link #model()}, kept as written because model names are case-sensitive for some servers.
 *
 * <p>The spec is what a store records next to the embedder's {@link Embedder#id() id}, so that an
 * error about a mismatched store can tell the user the exact {@code --embedder} value to give.
 *
 * @param scheme the provider's scheme, lower-case, non-blank, letters, digits, {@code -} and {@code
 *     _} only
 * @param model the model, or null for the provider's default; never blank
 */
public record EmbedderSpec(String scheme, String model) {

  /** The longest spec {@link #parse} accepts, in characters. */
  public static final int MAX_LENGTH = 512;

  public EmbedderSpec {
    Objects.requireNonNull(scheme, "scheme");
    if (!scheme.matches("[a-z0-9_-]+")) {
      throw new IllegalArgumentException(
          "embedder scheme must be lower-case letters, digits, '-' or '_', got '" + scheme + "'");
    }
    if (model != null && (model.isBlank() || model.chars().anyMatch(Character::isISOControl))) {
      throw new IllegalArgumentException(
          "embedder model must not be blank or hold control characters");
    }
  }

  /**
   * Parses {@code scheme[:model]}.
   *
   * @throws IllegalArgumentException with a message fit for a user when the text is not a spec
   */
  public static EmbedderSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "embedder must be given as hash, local[:MODEL] or openai:MODEL");
    }
    String t = text.strip();
    if (t.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "embedder spec is longer than " + MAX_LENGTH + " characters");
    }
    int colon = t.indexOf(':');
    String scheme = (colon < 0 ? t : t.substring(0, colon)).toLowerCase(Locale.ROOT);
    String model = colon < 0 ? null : t.substring(colon + 1);
    if (model != null && model.isEmpty()) {
      throw new IllegalArgumentException("embedder '" + t + "' names no model after the ':'");
    }
    if (!scheme.matches("[a-z0-9_-]+")) {
      throw new IllegalArgumentException(
          "embedder '" + t + "' does not start with a scheme such as hash, local or openai");
    }
    return new EmbedderSpec(scheme, model);
  }

  /** {@code scheme} or {@code scheme:model}; {@link #parse} of it gives this spec back. */
  @Override
  public String toString() {
    return model == null ? scheme : scheme + ":" + model;
  }
}
