package org.tasklane.worker.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  private static final long S = 1_000_000_000L;

  @Test
  void onePermitPerInterval() {
    RateLimit limit = new RateLimit(Duration.ofSeconds(5));
    long t0 = 123 * S;
    assertEquals(0, limit.tryTake(t0));
    assertEquals(5 * S, limit.tryTake(t0));
    assertEquals(2 * S, limit.tryTake(t0 + 3 * S));
    assertEquals(0, limit.tryTake(t0 + 5 * S));
    assertEquals(5 * S - 1, limit.tryTake(t0 + 5 * S + 1));
  }

  @Test
  void aRefusalDoesNotPushTheNextPermitBack() {
    RateLimit limit = new RateLimit(Duration.ofSeconds(5));
    assertEquals(0, limit.tryTake(0));
    for (long t = S; t < 5 * S; t += S) {
      assertEquals(5 * S - t, limit.tryTake(t));
    }
    assertEquals(0, limit.tryTake(5 * S));
  }

  @Test
  void theFirstPermitComesAtOnceWhateverTheClockSays() {
    assertEquals(0, new RateLimit(Duration.ofSeconds(5)).tryTake(-42 * S));
  }

  @Test
  void readableDurations() {
    assertEquals("5 s", RateLimit.readable(Duration.ofSeconds(5)));
    assertEquals("3.2 s", RateLimit.readable(Duration.ofMillis(3200)));
    assertEquals("2 min", RateLimit.readable(Duration.ofMinutes(2)));
    assertEquals("0.1 s", RateLimit.readable(Duration.ofMillis(1)));
    assertEquals("3.3 s", RateLimit.readable(Duration.ofMillis(3201)));
  }
}
