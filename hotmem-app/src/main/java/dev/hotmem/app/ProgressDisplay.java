package dev.hotmem.app;

import dev.hotmem.swap.SwapProgress;
import java.io.Console;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error for long swap work, shown only on a terminal (or when forced
 * with {@code --progress always}); piped output stays quiet. The bar is created on the first
 * report, when the total is known.
 */
final class ProgressDisplay implements SwapProgress, AutoCloseable {

  /** {@code --progress}: when to draw the bar. */
  enum When {
    AUTO,
    ALWAYS,
    NEVER
  }

  private final boolean enabled;
  private final String task;
  private final String unit;
  private final long unitSize;
  private ProgressBar bar;

  private ProgressDisplay(boolean enabled, String task, String unit, long unitSize) {
    this.enabled = enabled;
    this.task = task;
    this.unit = unit;
    this.unitSize = unitSize;
  }

  /** A display of bytes (hydrate reads a file). */
  static ProgressDisplay bytes(When when, String task) {
    return new ProgressDisplay(shown(when), task, " MiB", 1L << 20);
  }

  /** A display of memories (snapshot writes them). */
  static ProgressDisplay memories(When when, String task) {
    return new ProgressDisplay(shown(when), task, " memories", 1);
  }

  boolean enabled() {
    return enabled;
  }

  @Override
  public synchronized void update(long done, long total) {
    if (!enabled) {
      return;
    }
    if (bar == null) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(task)
              .setInitialMax(total)
              .setUnit(unit, unitSize)
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(200)
              .build();
    } else if (total >= 0) {
      bar.maxHint(total);
    }
    bar.stepTo(done);
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  private static boolean shown(When when) {
    return switch (when) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> isTerminal();
    };
  }

  /**
   * True when the JVM runs on a terminal. From JDK 22 {@code System.console()} is not null when the
   * streams are redirected either; {@code Console.isTerminal()} (JDK 22+) then tells, so it is
   * asked when present.
   */
  static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (NoSuchMethodException e) {
      return true; // JDK < 22: a console exists only on a terminal
    } catch (IllegalAccessException | InvocationTargetException e) {
      return false;
    }
  }
}
