package dev.hotmem.internal.engine;

import dev.hotmem.HotMem;
import java.util.Objects;
import java.util.function.Function;

/**
 * Hands the engine behind a {@link HotMem} to other parts of the engine module (the fact layer)
 * without a public accessor on {@code HotMem}: {@code HotMem} registers the accessor when its class
 * initialises. The package is not exported, so code outside the module cannot reach it.
 */
public final class EngineAccess {
  private static volatile Function<HotMem, MemoryEngine> accessor;

  private EngineAccess() {}

  /** Called once, by {@code HotMem}'s static initialiser. */
  public static void register(Function<HotMem, MemoryEngine> engineOf) {
    accessor = Objects.requireNonNull(engineOf, "engineOf");
  }

  /** The engine behind {@code mem}. */
  public static MemoryEngine engine(HotMem mem) {
    Objects.requireNonNull(mem, "mem");
    // An instance exists, so HotMem's class (and its registration) is initialised.
    return accessor.apply(mem);
  }
}
