package org.tasklane.dashboard.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a dashboard is ready: with a snapshot, and not cut off from the scheduler past the bound. */
class DashboardReadinessTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final DashboardReadiness readiness = new DashboardReadiness(Duration.ofSeconds(2), now::get);

  @Test
  void notReadyBeforeTheFirstSnapshot() {
    assertEquals("no snapshot from the scheduler yet", readiness.notReadyBecause());
    readiness.cutOff("the scheduler at X does not answer");
    assertEquals("the scheduler at X does not answer", readiness.notReadyBecause(), "never followed: no grace");
    readiness.following();
    assertNull(readiness.notReadyBecause());
  }

  @Test
  void cutOffPastTheBoundIsNotReadyAndASnapshotMakesItReadyAgain() {
    readiness.following();
    now.addAndGet(Duration.ofMinutes(5).toNanos());
    assertNull(readiness.notReadyBecause(), "following: ready however long ago the snapshot came");

    readiness.cutOff("lost the scheduler at 10.0.0.1:17355; showing the last known state");
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertNull(readiness.notReadyBecause(), "within the bound it still shows fresh data");
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertEquals("lost the scheduler at 10.0.0.1:17355; showing the last known state (for 3 s)",
        readiness.notReadyBecause());
    // a second message while cut off does not restart the clock
    readiness.cutOff("the scheduler at 10.0.0.1:17355 does not answer");
    assertEquals("the scheduler at 10.0.0.1:17355 does not answer (for 3 s)", readiness.notReadyBecause());

    readiness.following();
    assertNull(readiness.notReadyBecause());
  }
}
