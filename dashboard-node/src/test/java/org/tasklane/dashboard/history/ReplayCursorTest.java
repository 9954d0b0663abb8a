package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.history.SimulatedRun.T0;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tasklane.dashboard.DashboardView;

/** The state at a time of a recorded run, and a replay moving forward, against what the live dashboard had. */
class ReplayCursorTest {

  /** Replays {@code run} at each of its live snapshots' times and checks the whole snapshot is the live one. */
  private static void assertReplayEqualsLive(SimulatedRun run) {
    assertFalse(run.live.isEmpty());
    for (Map.Entry<Long, DashboardView.Snapshot> e : run.live.entrySet()) {
      long t = e.getKey();
      DashboardView.Snapshot live = e.getValue();
      DashboardView.Snapshot replayed = ReplayCursor.at(run.recording(), t, run.end).snapshot(0);
      String at = "at T0 + " + (t - T0) + " ms";
      assertEquals(live.groups(), replayed.groups(), at);
      assertEquals(ids(live.tasks()), ids(replayed.tasks()), at);
      assertEquals(live.tasks(), replayed.tasks(), at);
      assertEquals(live.workers(), replayed.workers(), at);
      assertEquals(live.resources(), replayed.resources(), at);
      assertEquals(live.history(), replayed.history(), at);
      assertEquals(live, replayed, at);
    }
  }

  static List<Long> ids(List<DashboardView.Task> tasks) {
    return tasks.stream().map(DashboardView.Task::id).toList();
  }

  @Test
  void theStateAtAnyTimeIsWhatTheLiveDashboardHadThen() {
    // 4,000 tasks, 20 per 50 ms: a 10 s run, a checkpoint every 2 s
    long end = T0 + 10_000;
    List<Long> times = List.of(T0, T0 + 1, T0 + 999, T0 + 1000, T0 + 1234, T0 + 2000, T0 + 2001, T0 + 2525, T0 + 5049,
        T0 + 5050, T0 + 7777, end - 1, end, end + 3000, end + 12_000);
    SimulatedRun run = new SimulatedRun(4000, 20, 2000, times);
    assertEquals(end, run.end);
    assertReplayEqualsLive(run);
    DashboardView.Snapshot atEnd = run.live.get(end);
    assertEquals(new DashboardView.Group("total", 1, 1, 0, 0, 0, 0), atEnd.groups().get(1));
    assertEquals(1000, atEnd.tasks().size(), "a snapshot's last 1000 tasks");
    assertEquals(2, atEnd.workers().size());
    assertEquals(0, run.live.get(end + 12_000).workers().size(), "workers leave 10 s after their last metrics");
  }

  @Test
  void aLongRunStartsFromACheckpointFiveMinutesBackAndReadsOnlyFromThere() {
    // 7,000 tasks, one per 50 ms: 350 s, a checkpoint every 5 s
    long end = T0 + 350_000;
    List<Long> times = List.of(T0 + 100_000, T0 + 320_000, T0 + 333_333, end);
    SimulatedRun run = new SimulatedRun(7000, 1, 5000, times);
    assertReplayEqualsLive(run);

    ListRecording all = run.recording();
    all.forEach(r -> { });
    long total = all.recordsVisited;
    ListRecording r = run.recording();
    ReplayCursor.at(r, end, run.end);
    // 310 s of 350: the first ~40 s are not read
    assertTrue(r.recordsVisited < total * 0.93, r.recordsVisited + " of " + total + " records read");
    assertTrue(r.upToCalls > 1 && r.upToCalls < 70, r.upToCalls + " calls");
  }

  @Test
  void aReplayMovingForwardGivesTheLiveEventsAndEndsWithAStatus() {
    long from = T0 + 2222;
    SimulatedRun run = new SimulatedRun(4000, 20, 2000, List.of(from));
    ReplayCursor cursor = ReplayCursor.at(run.recording(), from, run.end);
    DashboardView.Snapshot first = cursor.snapshot(1);
    assertEquals(run.live.get(from), cursor.snapshot(0));

    Map<String, DashboardView.Group> groups = new LinkedHashMap<>();
    first.groups().forEach(g -> groups.put(g.name(), g));
    Set<Long> seen = new HashSet<>(ids(first.tasks()));
    List<Long> points = new ArrayList<>();
    List<String> names = new ArrayList<>();
    long seq = 1;
    for (long t = from; !cursor.finished(); t += 137) {
      for (ReplayCursor.Event e : cursor.advanceTo(t, seq + 1)) {
        assertEquals(++seq, e.seq(), "seqs follow one another");
        names.add(e.name());
        if (e.data() instanceof DashboardView.Progress p) {
          assertEquals(e.seq(), p.seq());
          p.groups().forEach(g -> groups.put(g.name(), g));
        } else if (e.data() instanceof DashboardView.Tasks ts) {
          assertTrue(ts.tasks().size() <= 200);
          ts.tasks().forEach(x -> assertTrue(seen.add(x.id()), "task " + x.id() + " twice"));
        } else if (e.data() instanceof DashboardView.ResourcesUpdate u) {
          points.add(u.point().time());
          assertEquals(u.point().time(), u.resources().time(), "a point at each whole second");
        }
      }
    }
    assertEquals("status", names.get(names.size() - 1));
    assertEquals(1, names.stream().filter("status"::equals).count());
    assertEquals(List.of(), cursor.advanceTo(run.end + 5000, 1000), "nothing after the end");
    assertEquals(run.end, cursor.time());

    SimulatedRun reference = new SimulatedRun(4000, 20, 2000, List.of(run.end));
    assertEquals(reference.live.get(run.end).groups(), List.copyOf(groups.values()), "progress events add up");
    assertEquals(4001, seen.size(), "every task of the run, each once");
    List<Long> expected = new ArrayList<>();
    for (long s = (from / 1000 + 1) * 1000; s <= run.end; s += 1000) {
      expected.add(s);
    }
    assertEquals(expected, points);
  }

  @Test
  void aFastReplayReadsAheadInStretchesItCanHold() {
    // 100,000 tasks in one second: more than one stretch may hold
    SimulatedRun run = new SimulatedRun(100_000, 5000, 2000, List.of(T0 + 1000));
    ListRecording r = run.recording();
    ReplayCursor cursor = ReplayCursor.at(r, T0, run.end);
    int calls = r.upToCalls;
    List<ReplayCursor.Event> events = cursor.advanceTo(run.end, 2);
    assertTrue(r.upToCalls - calls > 5, "read in several stretches: " + (r.upToCalls - calls));
    assertTrue(cursor.finished());
    DashboardView.Progress last = null;
    for (ReplayCursor.Event e : events) {
      if (e.data() instanceof DashboardView.Progress p) {
        last = p;
      }
      if (e.data() instanceof DashboardView.Tasks ts) {
        assertEquals(200, ts.tasks().size(), "the newest 200, as live");
        assertEquals(100_001, ts.tasks().get(199).id());
      }
    }
    assertNotNull(last);
    assertEquals(List.of(new DashboardView.Group("load", 100_000, 66_667, 33_333, 0, 0, 0),
        new DashboardView.Group("total", 1, 1, 0, 0, 0, 0)), last.groups());
  }
}
