package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LaneGateTest {

  @Test
  void anOpenGateLetsThrough() throws Exception {
    LaneGate gate = new LaneGate();
    gate.awaitOpen(); // returns at once
    assertFalse(gate.isClosed());
  }

  @Test
  void aClosedGateHoldsALaneUntilItOpens() throws Exception {
    LaneGate gate = new LaneGate();
    gate.close();
    AtomicBoolean passed = new AtomicBoolean();
    CountDownLatch through = new CountDownLatch(1);
    Thread lane = new Thread(() -> {
      try {
        gate.awaitOpen();
        passed.set(true);
        through.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "lane");
    lane.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lane.getState() != Thread.State.WAITING) { // the lane is blocked in the gate, not merely slow to start
      assertTrue(System.nanoTime() < deadline, "the lane did not reach the gate");
      Thread.onSpinWait();
    }
    assertFalse(passed.get(), "a closed gate let the lane through");
    gate.open();
    assertTrue(through.await(10, TimeUnit.SECONDS), "the lane went on once the gate opened");
    lane.join(10_000);
  }
}
