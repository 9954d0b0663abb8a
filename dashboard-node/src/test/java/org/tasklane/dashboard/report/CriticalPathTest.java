package org.tasklane.dashboard.report;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.report.Runs.T0;
import static org.tasklane.dashboard.report.Runs.moved;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.dashboard.report.CriticalPath.Kind;
import org.tasklane.dashboard.report.CriticalPath.Step;

class CriticalPathTest {

  private static CriticalPath path(Runs runs) {
    RunIndex index = runs.index();
    return CriticalPath.of(index.lastGood(), index.submittedMicros());
  }

  private static List<String> describe(CriticalPath p) {
    return p.steps().stream()
        .map(s -> s.kind() + " " + s.label() + " " + (s.startMicros() - T0) + ".." + (s.stopMicros() - T0))
        .toList();
  }

  @Test
  void aChainIsItsOwnPathFromTheSubmission() {
    Runs runs = new Runs();
    runs.task(1, "a", "w1", "t0", 100, 1_000, List.of());
    runs.task(2, "b", "w1", "t0", 1_050, 2_000, List.of(1L));
    runs.task(3, "c", "w1", "t0", 2_000, 5_000, List.of(2L));
    CriticalPath p = path(runs);
    assertEquals(List.of("WAIT a 0..100", "TASK a 100..1000", "WAIT b 1000..1050", "TASK b 1050..2000",
        "TASK c 2000..5000"), describe(p));
    assertTrue(p.complete());
    assertEquals(5_000, p.runMicros());
    assertEquals(1.0, p.coverage(), 1e-9);
    assertEquals((900 + 950 + 3000) / 5000.0, p.share(Kind.TASK), 1e-9);
    assertEquals(150 / 5000.0, p.share(Kind.WAIT), 1e-9);
  }

  @Test
  void aDiamondFollowsItsSlowBranch() {
    Runs runs = new Runs();
    runs.task(1, "load", "w1", "t0", 0, 100, List.of());
    runs.task(2, "fast", "w1", "t0", 100, 200, List.of(1L));
    runs.task(3, "slow", "w1", "t1", 100, 4_000, List.of(1L));
    runs.task(4, "join", "w1", "t0", 4_010, 4_100, List.of(2L, 3L));
    CriticalPath p = path(runs);
    assertEquals(List.of("TASK load 0..100", "TASK slow 100..4000", "WAIT join 4000..4010", "TASK join 4010..4100"),
        describe(p));
    assertTrue(p.complete());
  }

  @Test
  void aTransferThatArrivedLastDecides() {
    Runs runs = new Runs();
    runs.task(1, "x", "w1", "t0", 0, 1_000, List.of());
    runs.task(2, "y", "w2", "t0", 0, 1_500, List.of());
    // x finished first but its move to w2 took long: the transfer decided, not y
    runs.task(3, "z", "w2", "t0", 3_000, 3_100, List.of(1L, 2L), moved(1, "x", "w1", 1 << 20, 1_200, 2_900));
    CriticalPath p = path(runs);
    assertEquals(List.of("TASK x 0..1000", "WAIT x 1000..1200", "TRANSFER x 1200..2900", "WAIT z 2900..3000",
        "TASK z 3000..3100"), describe(p));
    Step transfer = p.steps().get(2);
    assertEquals("w2", transfer.worker());
    assertEquals(1700 / 3100.0, p.share(Kind.TRANSFER), 1e-9);
  }

  @Test
  void retriesCountByTheirLastSuccessfulRun() {
    Runs runs = new Runs();
    runs.task(1, "a", "w1", "t0", 0, 100, List.of());
    runs.flush();
    runs.task(1, "a", "w2", "t0", 500, 700, List.of()); // recomputed after w1 left
    runs.flush();
    runs.task(2, "b", "w2", "t0", 700, 900, List.of(1L));
    CriticalPath p = path(runs);
    assertEquals(List.of("WAIT a 0..500", "TASK a 500..700", "TASK b 700..900"), describe(p));
  }

  @Test
  void aMissingInputEndsTheWalkAndSaysSo() {
    Runs runs = new Runs();
    runs.task(2, "b", "w1", "t0", 1_000, 2_000, List.of(1L)); // task 1 finished before the dashboard joined
    runs.task(3, "c", "w1", "t0", 2_000, 3_000, List.of(2L));
    CriticalPath p = path(runs);
    assertEquals(List.of("TASK b 1000..2000", "TASK c 2000..3000"), describe(p));
    assertFalse(p.complete());
    assertTrue(p.stopReason().contains("input task 1 of b is not in the records"), p.stopReason());
  }

  @Test
  void aMissingProducerOfATransferKeepsTheTransfer() {
    Runs runs = new Runs();
    runs.task(3, "c", "w1", "t0", 2_000, 3_000, List.of(1L), moved(1, "a", "w2", 10, 1_500, 1_900));
    CriticalPath p = path(runs);
    assertEquals(List.of("TRANSFER a 1500..1900", "WAIT c 1900..2000", "TASK c 2000..3000"), describe(p));
    assertFalse(p.complete());
  }

  @Test
  void noTasksNoPath() {
    CriticalPath p = path(new Runs());
    assertTrue(p.steps().isEmpty());
    assertFalse(p.complete());
  }
}
