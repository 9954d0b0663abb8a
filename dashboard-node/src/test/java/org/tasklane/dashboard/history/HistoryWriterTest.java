package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.api.GroupProgress;

class HistoryWriterTest {
  @TempDir Path dir;

  static HistorySettings settings(Path dir, int queueMessages) {
    return new HistorySettings(true, dir, 100, 1L << 30, 4, queueMessages, 100_000, Duration.ofSeconds(2));
  }

  static DashboardProtocol.SchedulerEvents batch(long seq, List<DashboardProtocol.TaskEvent> tasks,
      DashboardProtocol.GraphEvent... graphs) {
    return new DashboardProtocol.SchedulerEvents("inc1", seq, TestingRuns.T0 + seq, List.of(), List.of(), tasks, 0,
        List.of(), false, List.of(graphs));
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      Thread.sleep(10); // polling a condition, with a deadline
    }
  }

  private HistoryStore store() throws Exception {
    HistoryStore s = new HistoryStore(dir, 100, 1L << 30, false);
    s.scan();
    return s;
  }

  @Test
  void aGraphIsRecordedFromItsStartToItsEnd() throws Exception {
    HistoryStore store = store();
    List<GroupProgress> g0 = List.of(new GroupProgress("inc", 3, 0, 0, 0, 0, 3));
    List<GroupProgress> g1 = List.of(new GroupProgress("inc", 3, 3, 0, 0, 0, 0));
    try (HistoryWriter w = HistoryWriter.start(store, settings(dir, 100))) {
      w.onSchedulerEvents(batch(1, List.of(), TestingRuns.graph("g1", "running", 3, 0, g0)), true);
      w.onWorkerMetrics(TestingRuns.metrics("w1", TestingRuns.T0));
      w.onSchedulerEvents(batch(2, List.of(TestingRuns.task(1, "g1", 10, 20), TestingRuns.task(2, "g1", 20, 30),
          TestingRuns.task(3, "g1", 30, 40), TestingRuns.task(4, "other", 30, 40))), false);
      w.onSchedulerEvents(batch(3, List.of(), TestingRuns.graph("g1", "done", 3, 0, g1)), false);
      await(() -> store.list().size() == 1 && "done".equals(store.list().get(0).state()), "the run is done");
    }
    RunInfo info = store.list().get(0);
    assertEquals("g1", info.graphId());
    assertEquals(3, info.tasks());
    assertEquals(3, info.recordedTasks());
    assertFalse(info.partial(), info.partialReason());
    assertEquals(List.of("10.0.0.0:4000", "10.0.0.1:4000", "10.0.0.2:4000"), info.workers());
    try (RunRecording r = store.open(info.id()).orElseThrow()) {
      List<HistoryRecord> all = TestingRuns.readAll(r);
      assertInstanceOf(HistoryRecord.RunStarted.class, all.get(0));
      assertInstanceOf(HistoryRecord.RunFinished.class, all.get(all.size() - 1));
      assertEquals(g1, ((HistoryRecord.RunFinished) all.get(all.size() - 1)).graph().groups());
    }
  }

  @Test
  void runsListedWhileTheyFinishAreListedDone() throws Exception {
    // a reader's re-reading of a run being written, begun before the run closed, once put it back as
    // "running" after the writer had indexed it done (seen in CI)
    HistoryStore store = store();
    List<GroupProgress> g0 = List.of(new GroupProgress("inc", 1, 0, 0, 0, 0, 1));
    List<GroupProgress> g1 = List.of(new GroupProgress("inc", 1, 1, 0, 0, 0, 0));
    java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread reader = new Thread(() -> {
      while (reading.get()) {
        store.list();
      }
    }, "reader");
    int n = 40;
    try (HistoryWriter w = HistoryWriter.start(store, settings(dir, 1000))) {
      reader.start();
      for (int i = 0; i < n; i++) {
        String g = "g" + i;
        w.onSchedulerEvents(batch(3 * i + 1, List.of(), TestingRuns.graph(g, "running", 1, 0, g0)), i == 0);
        w.onSchedulerEvents(batch(3 * i + 2, List.of(TestingRuns.task(i + 1, g, 10, 20))), false);
        w.onSchedulerEvents(batch(3 * i + 3, List.of(), TestingRuns.graph(g, "done", 1, 0, g1)), false);
        await(() -> store.list().stream().filter(r -> r.graphId().equals(g) && "done".equals(r.state())).count() == 1,
            "run " + g + " is listed done");
      }
    } finally {
      reading.set(false);
      reader.join(10_000);
    }
    assertEquals(n, store.list().stream().filter(r -> "done".equals(r.state())).count());
  }

  @Test
  void aFullQueueDropsAndTheRunGetsAGap() throws Exception {
    HistoryStore store = store();
    List<GroupProgress> g0 = List.of(new GroupProgress("inc", 9, 0, 0, 0, 0, 9));
    HistoryWriter w = new HistoryWriter(store, settings(dir, 3));
    w.onSchedulerEvents(batch(1, List.of(), TestingRuns.graph("g1", "running", 9, 0, g0)), true);
    w.onSchedulerEvents(batch(2, List.of(TestingRuns.task(1, "g1", 10, 20))), false);
    w.onSchedulerEvents(batch(3, List.of(TestingRuns.task(2, "g1", 10, 20))), false);
    w.onSchedulerEvents(batch(4, List.of(TestingRuns.task(3, "g1", 10, 20))), false); // the queue is full
    w.begin();
    await(() -> w.queued() == 0, "the writer has caught up");
    w.onSchedulerEvents(batch(5, List.of(TestingRuns.task(4, "g1", 10, 20)),
        TestingRuns.graph("g1", "done", 9, 0, g0)), false);
    w.close();
    RunInfo info = store.list().get(0);
    assertTrue(info.partial());
    assertTrue(info.partialReason().startsWith("the history writer fell behind and dropped 1 message(s) (1 task records"),
        info.partialReason());
    assertEquals(3, info.recordedTasks());
    assertEquals("done", info.state());
  }

  @Test
  void aRunOpenWhenTheWriterStopsIsPartial() throws Exception {
    HistoryStore store = store();
    try (HistoryWriter w = HistoryWriter.start(store, settings(dir, 100))) {
      w.onSchedulerEvents(batch(1, List.of(), TestingRuns.graph("g1", "running", 3, 0, List.of())), true);
      await(() -> store.list().size() == 1, "the run is listed");
    }
    HistoryStore again = store();
    RunInfo info = again.list().get(0);
    assertTrue(info.partial());
    assertEquals("the dashboard stopped during the run", info.partialReason());
  }

  @Test
  void aSnapshotStartsRunsThatRunAlreadyAsJoinedLate() throws Exception {
    HistoryStore store = store();
    List<GroupProgress> half = List.of(new GroupProgress("inc", 4, 2, 0, 0, 0, 2));
    try (HistoryWriter w = HistoryWriter.start(store, settings(dir, 100))) {
      w.onSnapshot(new DashboardProtocol.Snapshot("inc1", 7, TestingRuns.T0, half,
          List.of(TestingRuns.task(1, "g1", 1, 2), TestingRuns.task(2, "g1", 2, 3)), List.of(),
          List.of(TestingRuns.graph("g1", "running", 4, 0, half))));
      w.onSchedulerEvents(batch(8, List.of(TestingRuns.task(2, "g1", 2, 3), TestingRuns.task(3, "g1", 3, 4))), false);
      await(() -> store.list().size() == 1 && store.list().get(0).recordedTasks() == 3, "three tasks are written");
    }
    RunInfo info = store.list().get(0);
    assertTrue(info.partialReason().contains("the dashboard joined after the run had started"), info.partialReason());
  }

  @Test
  void aNewSchedulerIncarnationEndsTheOpenRuns() throws Exception {
    HistoryStore store = store();
    try (HistoryWriter w = HistoryWriter.start(store, settings(dir, 100))) {
      w.onSchedulerEvents(batch(1, List.of(), TestingRuns.graph("g1", "running", 3, 0, List.of())), true);
      w.onSchedulerEvents(new DashboardProtocol.SchedulerEvents("inc2", 1, TestingRuns.T0, List.of(), List.of(),
          List.of(), 0, List.of(), false, List.of()), true);
      await(() -> !store.list().isEmpty() && store.list().get(0).partial(), "the run is closed");
    }
    assertTrue(store.list().get(0).partialReason().startsWith("the scheduler restarted during the run"),
        store.list().get(0).partialReason());
  }

  @Test
  void graphsPastMaxOpenRunsAreNotRecorded() throws Exception {
    HistoryStore store = store();
    try (HistoryWriter w = HistoryWriter.start(store, settings(dir, 100))) {
      List<DashboardProtocol.GraphEvent> graphs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        graphs.add(TestingRuns.graph("g" + i, "running", 1, 0, List.of()));
      }
      w.onSchedulerEvents(batch(1, List.of(), graphs.toArray(new DashboardProtocol.GraphEvent[0])), true);
      await(() -> store.list().size() == 4, "four runs are open");
    }
    assertEquals(4, store.list().size());
  }
}
