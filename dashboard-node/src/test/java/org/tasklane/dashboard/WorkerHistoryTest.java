package org.tasklane.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;

class WorkerHistoryTest {
  private static final long T0 = 1_700_000_000_000L;

  private static DashboardProtocol.WorkerMetrics m(String name, double cpu) {
    return TestingMetrics.flat(name, "inc", 1, T0, "h", "h:1", 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, cpu,
        100, 1000, 1, 2, 3, Double.NaN);
  }

  @Test
  void onePointPerSecondTheLastWins() {
    WorkerHistory h = new WorkerHistory(10, 60_000);
    h.add(m("w", 10), T0 + 100);
    h.add(m("w", 20), T0 + 600);
    h.add(m("w", 30), T0 + 1200);
    List<WorkerPageView.Point> p = h.get("w").points();
    assertEquals(List.of(T0, T0 + 1000), p.stream().map(WorkerPageView.Point::time).toList());
    assertEquals(List.of(20.0, 30.0), p.stream().map(WorkerPageView.Point::cpu).toList());
    assertEquals(0, p.get(0).diskWrite(), "NaN is 0");
    assertEquals("h:1", h.get("w").address());
  }

  @Test
  void keepsFiveMinutesAtMost() {
    WorkerHistory h = new WorkerHistory(10, 3_600_000);
    for (int s = 0; s < 400; s++) {
      h.add(m("w", s), T0 + s * 1000L);
    }
    List<WorkerPageView.Point> p = h.get("w").points();
    assertEquals(WorkerHistory.CAPACITY, p.size());
    assertEquals(T0 + 399_000, p.get(p.size() - 1).time());
    assertEquals(T0 + 100_000, p.get(0).time());
    h.add(m("w", 1), T0 + 1_000_000);
    assertEquals(1, h.get("w").points().size(), "a gap longer than five minutes leaves one point");
  }

  @Test
  void forgetsSilentWorkersAndTheOldestPastItsCapacity() {
    WorkerHistory h = new WorkerHistory(2, 60_000);
    h.add(m("a", 1), T0);
    h.add(m("b", 1), T0 + 10);
    h.add(m("a", 1), T0 + 20);
    h.add(m("c", 1), T0 + 30); // b was heard from longest ago
    assertNull(h.get("b"));
    assertEquals(2, h.size());
    h.prune(T0 + 60_025);
    assertNull(h.get("a"));
    assertEquals(1, h.size());
  }
}
