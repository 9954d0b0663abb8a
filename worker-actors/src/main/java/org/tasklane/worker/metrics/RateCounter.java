package org.tasklane.worker.metrics;

/**
 * A rate (units per second) from samples of a counter that only grows, such as bytes received.
 * A counter that goes down was reset (an interface came back, a process restarted): the sample
 * starts a new base and that interval counts as zero, never as a negative or huge rate.
 */
public final class RateCounter {
  private long lastValue = -1;
  private long lastNanos;
  private double rate;

  /** Adds a sample taken at {@code nanos} (System.nanoTime) and returns the rate since the previous one. */
  public double sample(long value, long nanos) {
    if (lastValue >= 0 && nanos > lastNanos) {
      long delta = value - lastValue;
      rate = delta < 0 ? 0 : delta * 1e9 / (nanos - lastNanos);
    }
    lastValue = value;
    lastNanos = nanos;
    return rate;
  }

  /** The rate computed at the last sample (0 before two samples). */
  public double rate() {
    return rate;
  }
}
