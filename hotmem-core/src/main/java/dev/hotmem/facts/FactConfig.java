package dev.hotmem.facts;

import dev.hotmem.HotMemException.InvalidRequest;
import dev.hotmem.NewMemory;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link FactMemory} behaves. Validated on construction.
 *
 * @param namespace the namespace its facts live in; {@value NewMemory#DEFAULT_NAMESPACE} by default
 * @param hotBudgetTokens the hot tier's budget in tokens, on which pressure is measured; 150 by
 *     default, 20..{@code hotCapTokens}
 * @param hotCapTokens the hard cap of the status block in tokens; 180 by default, at most 100,000
 * @param closingSignals phrases that close a scope when a ticked message contains them (matched
 *     case-insensitively on word boundaries; stored in lower case); not empty entries
 * @param idleTicksToClose ticks without a reference after which a scope closes; 6 by default,
 *     1..1000
 * @param foreignTicksToClose consecutive ticks whose writes all go to other scopes after which a
 *     scope closes; 3 by default, 1..1000
 * @param consolidator the model that consolidates the hot tier at 95% pressure; when empty the
 *     oldest hot facts move to the cold tier instead
 */
public record FactConfig(
    String namespace,
    int hotBudgetTokens,
    int hotCapTokens,
    List<String> closingSignals,
    int idleTicksToClose,
    int foreignTicksToClose,
    Optional<ChatModel> consolidator) {

  /** The default closing signals. */
  public static final List<String> DEFAULT_CLOSING_SIGNALS =
      List.of("merged", "deployed", "it works", "shipped", "done");

  public FactConfig {
    // Validated exactly as a memory's namespace is.
    namespace = NewMemory.builder(null, "x").namespace(namespace).build().namespace();
    if (hotCapTokens < 1 || hotCapTokens > 100_000) {
      throw new InvalidRequest(
          "hot_cap_tokens", "must be between 1 and 100000; found " + hotCapTokens);
    }
    if (hotBudgetTokens < 20 || hotBudgetTokens > hotCapTokens) {
      throw new InvalidRequest(
          "hot_budget_tokens",
          "must be between 20 and the cap (" + hotCapTokens + "); found " + hotBudgetTokens);
    }
    Objects.requireNonNull(closingSignals, "closingSignals");
    closingSignals =
        closingSignals.stream()
            .map(
                s -> {
                  if (s == null || s.isBlank()) {
                    throw new InvalidRequest("closing_signals", "must not contain empty phrases");
                  }
                  return s.strip().toLowerCase(Locale.ROOT);
                })
            .distinct()
            .toList();
    if (idleTicksToClose < 1 || idleTicksToClose > 1000) {
      throw new InvalidRequest(
          "idle_ticks_to_close", "must be between 1 and 1000; found " + idleTicksToClose);
    }
    if (foreignTicksToClose < 1 || foreignTicksToClose > 1000) {
      throw new InvalidRequest(
          "foreign_ticks_to_close", "must be between 1 and 1000; found " + foreignTicksToClose);
    }
    consolidator = Objects.requireNonNull(consolidator, "consolidator");
  }

  /** The defaults: namespace {@code default}, 150 / 180 tokens, the five signals, 6 and 3 ticks. */
  public static FactConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link FactConfig}; validation happens in {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private String namespace = NewMemory.DEFAULT_NAMESPACE;
    private int hotBudgetTokens = 150;
    private int hotCapTokens = 180;
    private List<String> closingSignals = DEFAULT_CLOSING_SIGNALS;
    private int idleTicksToClose = 6;
    private int foreignTicksToClose = 3;
    private ChatModel consolidator;

    private Builder() {}

    /** The namespace of the facts. */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The hot budget in tokens. */
    public Builder hotBudgetTokens(int tokens) {
      this.hotBudgetTokens = tokens;
      return this;
    }

    /** The hard cap of the status block in tokens. */
    public Builder hotCapTokens(int tokens) {
      this.hotCapTokens = tokens;
      return this;
    }

    /** The phrases that close a scope; replaces the defaults. */
    public Builder closingSignals(List<String> signals) {
      this.closingSignals = List.copyOf(signals);
      return this;
    }

    /** Ticks without a reference after which a scope closes. */
    public Builder idleTicksToClose(int ticks) {
      this.idleTicksToClose = ticks;
      return this;
    }

    /** Consecutive ticks writing only to other scopes after which a scope closes. */
    public Builder foreignTicksToClose(int ticks) {
      this.foreignTicksToClose = ticks;
      return this;
    }

    /** The model that consolidates the hot tier; null for none. */
    public Builder consolidator(ChatModel model) {
      this.consolidator = model;
      return this;
    }

    /** The configuration. */
    public FactConfig build() {
      return new FactConfig(
          namespace,
          hotBudgetTokens,
          hotCapTokens,
          closingSignals,
          idleTicksToClose,
          foreignTicksToClose,
          Optional.ofNullable(consolidator));
    }
  }
}
