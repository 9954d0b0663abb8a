package org.tasklane.dashboard;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.TestingEvents.*;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.tasklane.dashboard.DashboardState.Outcome;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.api.GroupProgress;

class DashboardStateTest {
  static final String INC = "inc-1";
  static final long NOW = 1_700_000_100_000L;

  /** A state that has applied an empty snapshot at seq 0 (in sync, nothing pending). */
  static DashboardState synced() {
    DashboardState s = new DashboardState();
    assertEquals(Outcome.APPLIED, s.apply(snapshot(INC, 0, List.of(), List.of(), List.of()), NOW));
    return s;
  }

  static List<Long> ids(List<DashboardView.Task> tasks) {
    return tasks.stream().map(DashboardView.Task::id).toList();
  }

  static List<String> names(List<DashboardView.Group> groups) {
    return groups.stream().map(DashboardView.Group::name).toList();
  }

  // ------------------------------------------------------------------ groups

  @Test
  void groupCountsPerColourAreAbsoluteAndOnlyChangesAreReported() {
    DashboardState s = synced();
    s.apply(groupsBatch(INC, 1, group("load", 10, 4, 3, 1, 1), group("sum", 2, 0, 0, 0, 0)), NOW);
    assertEquals(List.of(new DashboardView.Group("load", 10, 4, 3, 1, 1, 1), new DashboardView.Group("sum", 2, 0, 0, 0, 0, 2)),
        s.groups());
    DashboardState.ProgressDelta d = s.takeProgress();
    assertEquals(List.of("load", "sum"), names(d.groups()));
    assertEquals(List.of(), d.removed());
    assertNull(s.takeProgress(), "nothing changed since");

    // the same counts again change nothing; new counts replace the old ones
    s.apply(groupsBatch(INC, 2, group("load", 10, 4, 3, 1, 1)), NOW);
    assertNull(s.takeProgress());
    s.apply(groupsBatch(INC, 3, group("load", 10, 6, 4, 0, 0)), NOW);
    d = s.takeProgress();
    assertEquals(List.of(new DashboardView.Group("load", 10, 6, 4, 0, 0, 0)), d.groups());
  }

  @Test
  void groupsKeepSubmissionOrderAndRemovedGroupsLeave() {
    DashboardState s = synced();
    s.apply(groupsBatch(INC, 1, group("a", 1, 0, 0, 0, 0), group("b", 1, 0, 0, 0, 0)), NOW);
    s.apply(groupsBatch(INC, 2, group("c", 1, 0, 0, 0, 0), group("a", 1, 1, 0, 0, 0)), NOW);
    assertEquals(List.of("a", "b", "c"), names(s.groups()), "an update keeps a group's place; a new one goes last");
    s.takeProgress();

    s.apply(batch(INC, 3, List.of(), List.of("a", "unknown"), List.of()), NOW);
    assertEquals(List.of("b", "c"), names(s.groups()));
    DashboardState.ProgressDelta d = s.takeProgress();
    assertEquals(List.of(), d.groups());
    assertEquals(List.of("a"), d.removed(), "only groups it had are reported removed");

    // removed and back in one emit period: reported as changed only
    s.apply(batch(INC, 4, List.of(), List.of("b"), List.of()), NOW);
    s.apply(groupsBatch(INC, 5, group("b", 5, 0, 0, 0, 0)), NOW);
    d = s.takeProgress();
    assertEquals(List.of("b"), names(d.groups()));
    assertEquals(List.of(), d.removed());
    assertEquals(List.of("c", "b"), names(s.groups()));
  }

  // ------------------------------------------------------------------ tasks

  @Test
  void theWindowsKeepTheLast1000And20000TasksWithoutDuplicates() {
    DashboardState s = synced();
    long seq = 0;
    for (long from = 1; from <= 25_000; from += 500) {
      s.apply(batch(INC, ++seq, List.of(), List.of(), tasks(from, from + 499)), NOW);
    }
    List<DashboardView.Task> recent = s.recentTasks(DashboardState.RECENT_TASKS);
    assertEquals(20_000, recent.size());
    assertEquals(LongStream.rangeClosed(5_001, 25_000).boxed().toList(), ids(recent), "oldest dropped, in order");
    assertEquals(LongStream.rangeClosed(24_001, 25_000).boxed().toList(), ids(s.liveTasks()));
    assertEquals(LongStream.rangeClosed(25_001 - DashboardState.MAX_TASKS_PER_EVENT, 25_000).boxed().toList(),
        ids(s.takeNewTasks()), "at most the newest MAX_TASKS_PER_EVENT new tasks per emit");
    assertEquals(List.of(), s.takeNewTasks());

    // the same tasks again (a replayed batch, a snapshot): no duplicates, nothing new
    s.apply(batch(INC, ++seq, List.of(), List.of(), tasks(24_500, 25_000)), NOW);
    s.apply(snapshot(INC, seq, List.of(), tasks(20_000, 25_000), List.of()), NOW);
    assertEquals(List.of(), s.takeNewTasks());
    assertEquals(20_000, s.recentTasks(50_000).size());
    assertEquals(20_000, ids(s.recentTasks(20_000)).stream().distinct().count());
    assertEquals(List.of(24_999L, 25_000L), ids(s.recentTasks(2)));

    s.apply(batch(INC, ++seq, List.of(), List.of(), tasks(25_001, 25_001)), NOW);
    assertEquals(List.of(25_001L), ids(s.takeNewTasks()));
    assertEquals(5_002L, s.recentTasks(20_000).get(0).id());
  }

  @Test
  void aTaskIsShownWithMillisecondTimesAndItsTransfers() {
    DashboardState s = synced();
    s.apply(batch(INC, 1, List.of(), List.of(), List.of(task(7, "load-7"), erred(8, "sum-8", "boom <b>"))), NOW);
    List<DashboardView.Task> tasks = s.recentTasks(10);
    DashboardView.Task t = tasks.get(0);
    assertEquals(7, t.id());
    assertEquals("load-7", t.key());
    assertEquals("load", t.group());
    assertEquals("graph-1", t.graph());
    assertEquals(new BigDecimal("1700000000070.123"), t.start(), "epoch ms with the microseconds as a fraction");
    assertEquals(new BigDecimal("1700000000071.623"), t.stop());
    assertEquals(1, t.transfers().size());
    assertEquals("w2", t.transfers().get(0).peer());
    assertEquals("erred", tasks.get(1).status());
    assertEquals("boom <b>", tasks.get(1).error(), "kept as text; the page escapes it");
    assertEquals(1700000000000L, DashboardView.millis(T0_MICROS), "whole milliseconds stay whole");
  }

  // ------------------------------------------------------------------ snapshots and gaps

  static final List<DashboardProtocol.SchedulerEvents> HISTORY = List.of(
      batch(INC, 1, List.of(group("load", 4, 0, 0, 0, 2), group("sum", 1, 0, 0, 0, 0)), List.of(), tasks(1, 2)),
      batch(INC, 2, List.of(group("load", 4, 2, 0, 0, 2)), List.of(), tasks(3, 4)),
      batch(INC, 3, List.of(group("load", 4, 4, 0, 0, 0), group("sum", 1, 0, 0, 0, 1)), List.of(), List.of()),
      batch(INC, 4, List.of(group("sum", 1, 1, 0, 0, 0), group("load", 4, 0, 4, 0, 0)), List.of(), tasks(5, 5)),
      batch(INC, 5, List.of(group("more", 3, 0, 0, 0, 3)), List.of("load"), tasks(6, 8)),
      batch(INC, 6, List.of(group("more", 3, 3, 0, 0, 0)), List.of(), tasks(9, 9)));

  /** The state the scheduler had after HISTORY[0..seq-1], as its snapshot says it. */
  static DashboardProtocol.Snapshot snapshotAfter(long seq) {
    DashboardState truth = synced();
    HISTORY.stream().limit(seq).forEach(b -> truth.apply(b, NOW));
    List<GroupProgress> groups = truth.groups().stream()
        .map(g -> new GroupProgress(g.name(), g.total(), g.memory(), g.released(), g.erred(), g.processing(), g.waiting()))
        .toList();
    List<DashboardProtocol.TaskEvent> tasks = truth.recentTasks(100).stream()
        .map(t -> task(t.id(), t.key())).toList();
    return snapshot(INC, seq, groups, tasks, List.of(summary("w1", 2, 0)));
  }

  static void assertSameView(DashboardState expected, DashboardState actual) {
    assertEquals(expected.groups(), actual.groups());
    assertEquals(ids(expected.recentTasks(100)).stream().sorted().toList(),
        ids(actual.recentTasks(100)).stream().sorted().toList());
    assertEquals(expected.lastSeq(), actual.lastSeq());
  }

  @Test
  void aSnapshotThenTheLaterBatchesEqualsTheStateOfAllBatches() {
    DashboardState all = synced();
    HISTORY.forEach(b -> assertEquals(Outcome.APPLIED, all.apply(b, NOW)));

    DashboardState joined = new DashboardState();
    assertTrue(joined.awaitingSnapshot(), "a new dashboard needs a snapshot first");
    assertEquals(Outcome.APPLIED, joined.apply(snapshotAfter(3), NOW));
    HISTORY.subList(3, 6).forEach(b -> assertEquals(Outcome.APPLIED, joined.apply(b, NOW)));
    assertSameView(all, joined);
    assertEquals(List.of("sum", "more"), names(joined.groups()));
  }

  @Test
  void batchesThatCameWhileTheSnapshotWasAwaitedAreAppliedOnTopOfIt() {
    DashboardState all = synced();
    HISTORY.forEach(b -> all.apply(b, NOW));

    // joined at batch 3 (before the snapshot came), the scheduler took the snapshot at 4
    DashboardState s = new DashboardState();
    assertEquals(Outcome.RESYNC_NEEDED, s.apply(HISTORY.get(2), NOW), "the first batch seen: a snapshot is needed");
    s.apply(HISTORY.get(3), NOW);
    s.apply(HISTORY.get(4), NOW);
    s.apply(HISTORY.get(5), NOW);
    assertEquals(Outcome.APPLIED, s.apply(snapshotAfter(4), NOW));
    assertFalse(s.awaitingSnapshot());
    assertSameView(all, s);
  }

  @Test
  void aGapTriggersAResyncAndTheSnapshotRepairsIt() {
    DashboardState all = synced();
    HISTORY.forEach(b -> all.apply(b, NOW));

    DashboardState s = synced();
    assertEquals(Outcome.APPLIED, s.apply(HISTORY.get(0), NOW));
    assertEquals(Outcome.APPLIED, s.apply(HISTORY.get(1), NOW));
    // batches 3 and 4 are lost
    assertEquals(Outcome.RESYNC_NEEDED, s.apply(HISTORY.get(4), NOW));
    assertEquals(List.of("sum", "more"), names(s.groups()), "the gap batch is still applied");
    assertTrue(s.awaitingSnapshot());
    assertEquals(Outcome.APPLIED, s.apply(HISTORY.get(5), NOW), "in order after the gap batch");
    assertEquals(Outcome.IGNORED, s.apply(HISTORY.get(1), NOW), "an old batch changes nothing");

    assertEquals(Outcome.APPLIED, s.apply(snapshotAfter(5), NOW));
    assertSameView(all, s);
    DashboardState.ProgressDelta d = s.takeProgress();
    assertTrue(d.removed().contains("load"), "a group the lost batches removed is reported removed: " + d);
  }

  @Test
  void aGapAmongTheKeptBatchesAsksAgain() {
    DashboardState s = new DashboardState();
    s.apply(HISTORY.get(0), NOW);
    s.apply(HISTORY.get(1), NOW);
    assertEquals(Outcome.RESYNC_NEEDED, s.apply(HISTORY.get(3), NOW));
    // the snapshot is from seq 1: batch 3 (seq 3) is missing between it and the kept batch 4
    assertEquals(Outcome.RESYNC_NEEDED, s.apply(snapshotAfter(1), NOW));
    assertTrue(s.awaitingSnapshot());
    assertEquals(Outcome.APPLIED, s.apply(snapshotAfter(4), NOW));
    assertEquals(4, s.lastSeq());
  }

  @Test
  void aNewIncarnationTriggersAResyncAndReplacesTheTasks() {
    DashboardState s = synced();
    HISTORY.forEach(b -> s.apply(b, NOW));
    s.takeTasksReset();
    assertEquals(Outcome.RESYNC_NEEDED, s.apply(batch("inc-2", 1, List.of(group("x", 1, 0, 0, 0, 1)), List.of(),
        tasks(1, 1)), NOW), "a restarted scheduler starts again at seq 1");
    assertTrue(s.takeTasksReset(), "the old scheduler's tasks are gone: browsers need a fresh snapshot");
    assertEquals(List.of(1L), ids(s.recentTasks(100)));

    assertEquals(Outcome.APPLIED, s.apply(snapshot("inc-2", 1, List.of(group("x", 1, 0, 0, 0, 1)),
        tasks(1, 1), List.of()), NOW));
    assertEquals(List.of("x"), names(s.groups()));
    assertEquals("inc-2", s.incarnation());
    assertEquals(Outcome.APPLIED, s.apply(groupsBatch("inc-2", 2, group("x", 1, 1, 0, 0, 0)), NOW));
  }

  // ------------------------------------------------------------------ workers and resources

  @Test
  void workersLeaveWhenTheirMetricsStopOrTheSchedulerNoLongerListsThem() {
    DashboardState s = synced();
    long t = NOW;
    s.apply(metrics("w1", 1, 2, 1), t);
    s.apply(metrics("w2", 1, 0, 0), t);
    assertEquals(List.of("w1", "w2"), s.workers(t).stream().map(DashboardView.Worker::name).toList(),
        "before the scheduler lists them, metrics alone show a worker");

    s.apply(workersBatch(INC, 1, summary("w1", 4, 3), summary("w2", 4, 0), summary("w3", 2, 5)), t + 100);
    List<DashboardView.Worker> rows = s.workers(t + 100);
    assertEquals(List.of("w1", "w2", "w3"), rows.stream().map(DashboardView.Worker::name).toList());
    DashboardView.Worker w1 = rows.get(0);
    assertEquals(2, w1.figures().tasks().executing(), "the worker's own figures");
    assertEquals(1, w1.figures().tasks().queued());
    assertEquals(3, w1.processing(), "and the scheduler's");
    assertEquals(t, w1.lastSeen());
    DashboardView.Worker w3 = rows.get(2);
    assertEquals(2, w3.figures().tasks().executing(), "no metrics yet: the scheduler's summary");
    assertEquals(3, w3.figures().tasks().queued());
    assertEquals(3000, w3.figures().tasks().heldBytes());

    // w2 stops sending metrics; w1 goes on
    s.apply(metrics("w1", 2, 1, 0), t + 9_000);
    assertEquals(3, s.workers(t + 10_000).size());
    assertEquals(List.of("w1", "w3"),
        s.workers(t + 10_001).stream().map(DashboardView.Worker::name).toList(), "not heard of for 10 s");

    // the scheduler drops w1: it leaves even though its metrics still come
    s.apply(workersBatch(INC, 2, summary("w3", 2, 0)), t + 11_000);
    s.apply(metrics("w1", 3, 1, 0), t + 11_500);
    assertEquals(List.of("w3"), s.workers(t + 11_500).stream().map(DashboardView.Worker::name).toList());

    // a worker that starts after the list: shown until the scheduler's next list says otherwise
    s.apply(metrics("w4", 1, 0, 0), t + 12_000);
    assertEquals(List.of("w3", "w4"), s.workers(t + 12_000).stream().map(DashboardView.Worker::name).toList());

    s.prune(t + 30_000);
    assertEquals(List.of("w3"), s.workers(t + 30_000).stream().map(DashboardView.Worker::name).toList());
  }

  @Test
  void olderMetricsOfTheSameWorkerAreIgnored() {
    DashboardState s = synced();
    s.apply(metrics("w1", 5, 3, 0), NOW);
    s.apply(metrics("w1", 4, 1, 0), NOW + 10);
    assertEquals(3, s.workers(NOW + 10).get(0).figures().tasks().executing());
  }

  @Test
  void resourcesSumTheWorkersAndCountRecentTasks() {
    DashboardState s = synced();
    s.apply(workersBatch(INC, 1, summary("w1", 4, 6), summary("w2", 2, 0)), NOW);
    s.apply(metrics("w2", 1, 1, 2), NOW);
    s.apply(new DashboardProtocol.SchedulerEvents(INC, 2, NOW, List.of(), List.of(), tasks(1, 30), 20, List.of(),
        false, List.of()), NOW);
    s.apply(batch(INC, 3, List.of(), List.of(), tasks(31, 40)), NOW + 3_000);
    DashboardView.Resources r = s.resources(NOW + 3_000);
    assertEquals(2, r.workers());
    assertEquals(8, r.threads(), "4 from the scheduler's list, 4 from w2's metrics");
    assertEquals(4 + 1, r.executing(), "w1: min(processing, threads) from the summary; w2: its metrics");
    assertEquals(2 + 2, r.queued());
    assertEquals(3000 + 5000, r.heldBytes());
    assertEquals(12.0, r.tasksPerSecond(), "60 tasks (dropped ones too) over 5 s");
    assertEquals(NOW + 3_000, r.time());
    s.prune(NOW + 6_000);
    assertEquals(2.0, s.resources(NOW + 6_000).tasksPerSecond(), "the first batch is out of the window");
  }

  @Test
  void theSnapshotViewHasEverything() {
    DashboardState s = synced();
    HISTORY.forEach(b -> s.apply(b, NOW));
    DashboardView.Snapshot v = s.snapshot(17, NOW, true);
    assertEquals(17, v.seq());
    assertEquals(NOW, v.now());
    assertTrue(v.connected());
    assertEquals(s.groups(), v.groups());
    assertEquals(LongStream.rangeClosed(1, 9).boxed().collect(Collectors.toList()), ids(v.tasks()));
    assertEquals(NOW, v.resources().time());
  }

  // ------------------------------------------------------------------ host figures, the resource plot, /metrics

  static DashboardProtocol.WorkerMetrics hostFigures(String name, long seq, double cpu, long rss, long limit,
      double netIn, double netOut, double diskRead, double diskWrite) {
    DashboardProtocol.WorkerMetrics m = metrics(name, seq, 1, 0);
    DashboardProtocol.WorkerFigures f = m.figures();
    return new DashboardProtocol.WorkerMetrics(m.worker(), m.incarnation(), m.seq(), m.timeMillis(), m.host(),
        m.address(), m.nthreads(), new DashboardProtocol.WorkerFigures(f.tasks(), f.transfers(),
            new DashboardProtocol.WorkerFigures.Process(cpu, rss, limit),
            DashboardProtocol.WorkerFigures.Host.ofRates(netIn, netOut, diskRead, diskWrite), f.memory()));
  }

  @Test
  void aWorkerRowHasItsHostFiguresAndTheSchedulersLatency() {
    DashboardState s = synced();
    s.apply(hostFigures("w1", 1, 187.46, 300_000_000L, 2_000_000_000L, 1234.4, 35_000_000.6, 0.4, 512), NOW);
    s.apply(metrics("w4", 1, 0, 0), NOW + 200);
    s.apply(workersBatch(INC, 1, summary("w1", 4, 1), summary("w3", 2, 0)), NOW + 100);
    List<DashboardView.Worker> rows = s.workers(NOW + 200);
    assertEquals(List.of("w1", "w3", "w4"), rows.stream().map(DashboardView.Worker::name).toList());

    DashboardView.Worker w1 = rows.get(0);
    assertEquals("host-w1", w1.host(), "the host the worker says it runs on: the page groups by it");
    assertEquals(187.5, w1.figures().process().cpuPercent(), "percent of one core, to 0.1");
    assertEquals(300_000_000L, w1.figures().process().rssBytes());
    assertEquals(2_000_000_000L, w1.figures().process().memoryLimitBytes());
    assertEquals(0.5, w1.latency(), "the scheduler's round trip, ms");
    assertEquals(1234, w1.figures().host().netIn(), "whole bytes per second");
    assertEquals(35_000_001, w1.figures().host().netOut());
    assertEquals(0, w1.figures().host().diskRead());
    assertEquals(512, w1.figures().host().diskWrite());

    DashboardView.Worker w3 = rows.get(1);
    assertEquals(List.of(0.0, 0L, 0L, 0L, 0L, 0L, 0L), List.of(w3.figures().process().cpuPercent(), w3.figures().process().rssBytes(), w3.figures().process().memoryLimitBytes(), w3.figures().host().netIn(),
        w3.figures().host().netOut(), w3.figures().host().diskRead(), w3.figures().host().diskWrite()), "no metrics yet: 0");
    assertEquals(0.5, w3.latency(), "but the scheduler's latency");
    assertEquals("10.0.0.2", w3.host(), "and its host");

    DashboardView.Worker w4 = rows.get(2);
    assertEquals(25.0, w4.figures().process().cpuPercent());
    assertEquals(0.0, w4.latency(), "not listed by the scheduler yet: no latency");
  }

  @Test
  void figuresThatAreNotNumbersOrNegativeAreZero() {
    DashboardState s = synced();
    s.apply(hostFigures("w1", 1, Double.NaN, -1, -5, Double.POSITIVE_INFINITY, -3, Double.NaN, -0.0), NOW);
    DashboardView.Worker w = s.workers(NOW).get(0);
    assertEquals(List.of(0.0, 0L, 0L, 0L, 0L, 0L, 0L), List.of(w.figures().process().cpuPercent(), w.figures().process().rssBytes(), w.figures().process().memoryLimitBytes(), w.figures().host().netIn(),
        w.figures().host().netOut(), w.figures().host().diskRead(), w.figures().host().diskWrite()));
  }

  @Test
  void resourcesAndTheirPointSumTheWorkersCpuAndMemory() {
    DashboardState s = synced();
    s.apply(hostFigures("w1", 1, 150, 1_000, 10_000, 0, 0, 0, 0), NOW);
    s.apply(hostFigures("w2", 1, 49.5, 2_000, 20_000, 0, 0, 0, 0), NOW);
    DashboardView.Resources r = s.resources(NOW);
    assertEquals(199.5, r.cpu());
    assertEquals(3_000, r.memory());
    assertEquals(30_000, r.memoryLimit());

    assertEquals(List.of(), s.resourceHistory());
    DashboardView.ResourcePoint p = s.recordResources(s.workers(NOW), NOW);
    assertEquals(new DashboardView.ResourcePoint(NOW - NOW % 1000, 199.5, 3_000, 30_000, 2), p);
    s.apply(hostFigures("w2", 2, 0, 2_000, 20_000, 0, 0, 0, 0), NOW + 1000);
    s.recordResources(s.workers(NOW + 1000), NOW + 1000);
    assertEquals(List.of(199.5, 150.0), s.resourceHistory().stream().map(DashboardView.ResourcePoint::cpu).toList());
    assertEquals(s.resourceHistory(), s.snapshot(3, NOW + 1000, true).history(), "a new page gets the history");
  }

  @Test
  void finishedErredAndTransferredAreCountedOncePerTaskAcrossIncarnations() {
    DashboardState s = synced();
    assertEquals(new ClusterFigures(List.of(), List.of(), 0, 0, 0, new ClusterFigures.Received(0, 1, 0, 0)), s.figures(NOW),
        "synced: one snapshot received");
    s.apply(batch(INC, 1, List.of(group("load", 4, 2, 0, 1, 1)), List.of(),
        List.of(task(1, "load-1"), task(2, "load-2"), erred(3, "load-3", "boom"))), NOW);
    ClusterFigures f = s.figures(NOW);
    assertEquals(3, f.tasksFinished());
    assertEquals(1, f.tasksErred());
    assertEquals(2 * 2048, f.transferBytes(), "each task fetched 2048 bytes; the erred one none");
    assertEquals(s.groups(), f.groups());

    // the same tasks again, from a batch and a snapshot: not counted again
    s.apply(batch(INC, 2, List.of(), List.of(), tasks(1, 2)), NOW);
    s.apply(snapshot(INC, 2, List.of(), tasks(1, 4), List.of()), NOW);
    f = s.figures(NOW);
    assertEquals(4, f.tasksFinished(), "task 4 is new");
    assertEquals(3 * 2048, f.transferBytes());

    // a restarted scheduler numbers its tasks from 1 again: they are other tasks, and counters only grow
    s.apply(batch("inc-2", 1, List.of(), List.of(), tasks(1, 1)), NOW);
    assertEquals(5, s.figures(NOW).tasksFinished());
    assertEquals(1, s.figures(NOW).tasksErred());
  }
}
