package org.tasklane.dashboard;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The resource plot's history: bounded to five minutes, oldest dropped, one point per second. */
class ResourceHistoryTest {
  static final long T0 = 1_700_000_000_000L;

  static DashboardView.ResourcePoint at(long millis, double cpu) {
    return new DashboardView.ResourcePoint(millis, cpu, 1000, 4000, 2);
  }

  static List<Long> times(ResourceHistory h) {
    return h.points().stream().map(DashboardView.ResourcePoint::time).toList();
  }

  @Test
  void itKeepsTheLast300SecondsAndDropsTheOldest() {
    ResourceHistory h = new ResourceHistory();
    assertEquals(300, h.capacity());
    for (int i = 0; i < 299; i++) {
      h.record(at(T0 + i * 1000L, i));
    }
    assertEquals(299, h.size());
    assertEquals(T0, h.points().get(0).time(), "nothing dropped below the bound");
    h.record(at(T0 + 299_000, 299));
    assertEquals(300, h.size());
    assertEquals(T0, h.points().get(0).time());

    h.record(at(T0 + 300_000, 300));
    assertEquals(300, h.size(), "bounded");
    assertEquals(T0 + 1000, h.points().get(0).time(), "the oldest point dropped");
    for (int i = 301; i < 1000; i++) {
      h.record(at(T0 + i * 1000L, i));
    }
    assertEquals(LongStream.range(700, 1000).mapToObj(i -> T0 + i * 1000).toList(), times(h),
        "the newest 300, oldest first");
    assertEquals(999.0, h.points().get(299).cpu());
  }

  @Test
  void aSmallerCapacityIsBoundedTheSameWay() {
    ResourceHistory h = new ResourceHistory(3);
    for (int i = 0; i < 5; i++) {
      h.record(at(T0 + i * 1000L, i));
    }
    assertEquals(List.of(T0 + 2000, T0 + 3000, T0 + 4000), times(h));
    assertThrows(IllegalArgumentException.class, () -> new ResourceHistory(0));
  }

  @Test
  void onePointPerSecondAndItsTimeIsTheStartOfItsSecond() {
    ResourceHistory h = new ResourceHistory();
    DashboardView.ResourcePoint kept = h.record(at(T0 + 250, 10));
    assertEquals(T0, kept.time(), "the start of its second");
    assertEquals(10.0, kept.cpu());
    DashboardView.ResourcePoint again = h.record(at(T0 + 999, 20));
    assertEquals(T0, again.time());
    assertEquals(1, h.size(), "the same second: the later point replaces the earlier");
    assertEquals(20.0, h.points().get(0).cpu());

    h.record(at(T0 + 1000, 30));
    h.record(at(T0 + 2999, 40));
    assertEquals(List.of(T0, T0 + 1000, T0 + 2000), times(h), "seconds may be skipped, never doubled");
  }

  @Test
  void aClockSetBackForgetsThePointsThatNowLieAhead() {
    ResourceHistory h = new ResourceHistory();
    for (int i = 0; i < 10; i++) {
      h.record(at(T0 + i * 1000L, i));
    }
    h.record(at(T0 + 4_500, 99));
    assertEquals(List.of(T0, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000), times(h), "times stay increasing");
    assertEquals(99.0, h.points().get(4).cpu());
  }

  @Test
  void pointsOlderThanFiveMinutesGoEvenBelowTheBound() {
    ResourceHistory h = new ResourceHistory();
    h.record(at(T0, 1));
    h.record(at(T0 + 1000, 2));
    h.record(at(T0 + 300_500, 3)); // the dashboard was paused, or the clock jumped
    assertEquals(List.of(T0 + 1000, T0 + 300_000), times(h), "T0 is 300 s older: out of the five minutes");
  }

  @Test
  void aPointSumsTheWorkerTable() {
    List<DashboardView.Worker> rows = List.of(
        TestingMetrics.row("w1", "h1", "a1", 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 150.3, 1000, 8000, 0.5, 1, 2, 3,
            4, T0),
        TestingMetrics.row("w2", "h1", "a2", 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 49.8, 500, 8000, 0.7, 0, 0, 0, 0,
            T0));
    DashboardView.ResourcePoint p = ResourceHistory.pointOf(rows, T0 + 1234);
    assertEquals(new DashboardView.ResourcePoint(T0 + 1000, 200.1, 1500, 16000, 2), p);
    assertEquals(new DashboardView.ResourcePoint(T0, 0, 0, 0, 0), ResourceHistory.pointOf(List.of(), T0));
  }
}
