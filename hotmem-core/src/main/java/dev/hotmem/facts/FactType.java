package dev.hotmem.facts;

import java.util.Locale;
import java.util.Optional;

/**
 * The type of a fact in MEMORY_SPEC v1.0 notation. Each type has a one-character sigil written
 * before the bracketed target ({@code V[srv.prod]: ...}) and a wire name stored as the memory's
 * {@code kind}.
 */
public enum FactType {
  /** {@code C[t]}: a rule the project holds to. */
  CONSTRAINT("C"),
  /** {@code D[t]}: a choice that was made. */
  DECISION("D"),
  /** {@code V[t]}: a concrete value (host, port, key name, URL, variable). */
  VALUE("V"),
  /** {@code ?[t]}: an open question, resolved by the next value or decision for its target. */
  UNKNOWN("?"),
  /** {@code ✓[scope]}: the scope is finished; writing it closes the scope. */
  DONE("✓"),
  /** {@code ~[t]}: the current fact for the target no longer holds. */
  OBSOLETE("~"),
  /** Text that is not in the notation, stored as written with the target {@code general}. */
  PLAIN("");

  private final String sigil;

  FactType(String sigil) {
    this.sigil = sigil;
  }

  /**
   * The notation sigil ({@code C}, {@code D}, {@code V}, {@code ?}, {@code ✓}, {@code ~}); empty
   * for plain.
   */
  public String sigil() {
    return sigil;
  }

  /**
   * The wire name, stored as the memory's kind: {@code constraint}, {@code decision}, {@code
   * value}, {@code unknown}, {@code done}, {@code obsolete}, and {@code fact} for plain text.
   */
  public String wire() {
    return this == PLAIN ? "fact" : name().toLowerCase(Locale.ROOT);
  }

  /** Whether a newer fact of this type replaces the older one for the same target and scope. */
  public boolean supersedes() {
    return this == CONSTRAINT || this == DECISION || this == VALUE;
  }

  /** The type whose {@link #wire()} is {@code kind}, if any. */
  public static Optional<FactType> fromWire(String kind) {
    for (FactType t : values()) {
      if (t.wire().equals(kind)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
