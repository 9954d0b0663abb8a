package org.tasklane.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateCounterTest {
  static final long SECOND = 1_000_000_000L;

  @Test
  void noRateBeforeTwoSamples() {
    RateCounter r = new RateCounter();
    assertEquals(0, r.sample(1000, 5 * SECOND));
  }

  @Test
  void rateIsTheDeltaOverTheInterval() {
    RateCounter r = new RateCounter();
    r.sample(1000, 0);
    assertEquals(500, r.sample(1500, SECOND), 1e-9);
    assertEquals(250, r.sample(2000, 3 * SECOND), 1e-9);
  }

  @Test
  void aCounterResetCountsAsZeroAndStartsANewBase() {
    RateCounter r = new RateCounter();
    r.sample(10_000, 0);
    assertEquals(0, r.sample(200, SECOND), "reset: never negative");
    assertEquals(800, r.sample(1000, 2 * SECOND), 1e-9, "measured from the new base");
  }

  @Test
  void aSampleAtTheSameInstantKeepsTheLastRate() {
    RateCounter r = new RateCounter();
    r.sample(0, 0);
    r.sample(100, SECOND);
    assertEquals(100, r.sample(500, SECOND), 1e-9);
  }
}
