package org.tasklane.system.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A short soak with a fixed seed: everything of {@link Soak} at once for 40 s. Nothing may be
 * lost (every graph completes with the right answer), every dashboard restart comes back, every
 * bad input is rejected cleanly, and the readers are all connected at the end. {@code bench/soak}
 * runs the same for longer.
 */
class SoakSystemTest {

  @Test
  void fortySecondsOfEverythingAtOnceLoseNothing() throws Exception {
    SoakReport r = Soak.run(new Soak.Options(Duration.ofSeconds(40), 20261128L, 3, 20, 3, Duration.ofSeconds(20)));
    System.out.print(r.table());
    assertEquals(java.util.List.of(), r.problems(), r.table());
    assertEquals(2, r.dashboardRestarts, r.table());
    assertTrue(r.graphsSubmitted > 0 && r.badInputsTried > 0, r.table());
    assertTrue(r.workerKills + r.workerGracefulStops > 0, r.table());
  }
}
