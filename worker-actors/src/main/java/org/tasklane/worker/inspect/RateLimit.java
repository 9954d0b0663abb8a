package org.tasklane.worker.inspect;

import java.time.Duration;

/** At most one permit per interval; a request sooner learns how long to wait. Thread-safe. */
public final class RateLimit {
  private final long intervalNanos;
  private boolean taken;
  private long lastNanos;

  public RateLimit(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Takes the permit if the interval has passed since the last one taken.
   *
   * @param nowNanos {@link System#nanoTime()}
   * @return 0 if taken, else the nanoseconds until one may be (at least 1)
   */
  public synchronized long tryTake(long nowNanos) {
    if (taken) {
      long wait = intervalNanos - (nowNanos - lastNanos);
      if (wait > 0) {
        return wait;
      }
    }
    taken = true;
    lastNanos = nowNanos;
    return 0;
  }

  public Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }

  /** {@code 5 s}, {@code 0.5 s} (tenths rounded up), {@code 2 min}: for the one-line refusals. */
  public static String readable(Duration d) {
    long ms = d.toMillis();
    if (ms >= 60_000 && ms % 60_000 == 0) {
      return ms / 60_000 + " min";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + " s";
    }
    return String.format(java.util.Locale.ROOT, "%.1f s", Math.ceil(ms / 100.0) / 10); // never "0.0 s"
  }
}
