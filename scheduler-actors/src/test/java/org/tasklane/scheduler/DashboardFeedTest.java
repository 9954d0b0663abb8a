package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.WorkerInfo;
import org.tasklane.protocol.api.GroupProgress;

/** What the scheduler publishes to dashboards: batches of group changes and tasks that ran, and snapshots. */
class DashboardFeedTest {
  private final TaskTable table = new TaskTable();
  private final TaskTableDriver d = new TaskTableDriver(table);
  private final DashboardFeed feed = new DashboardFeed("inc-1",
      name -> new WorkerInfo(name, "host-" + name, "host-" + name + ":1", 1, FUNCTIONS, 1), name -> 1.5);

  DashboardFeedTest() {
    table.observe(feed);
  }

  @Test
  void aBatchCarriesChangedGroupsAndTheTasksThatRanThenNothingUntilTheNextChange() {
    d.addWorker("w1", 1);
    d.submit(graph(root("load-0"), root("load-1"), task("total", "add", "load-0", "load-1")));
    DashboardProtocol.SchedulerEvents first = feed.nextBatch(table);
    assertEquals(1, first.seq());
    assertEquals("inc-1", first.incarnation());
    assertEquals(List.of(new GroupProgress("load", 2, 0, 0, 0, 2, 0), new GroupProgress("total", 1, 0, 0, 0, 0, 1)),
        first.groups());
    assertTrue(first.workersChanged());
    assertEquals("host-w1", first.workers().get(0).host());
    assertEquals(2, first.workers().get(0).processing());
    assertEquals(1.5, first.workers().get(0).latencyMillis());
    assertNull(feed.nextBatch(table), "nothing changed: no batch");

    d.ok("w1", "load-0", 100);
    DashboardProtocol.SchedulerEvents second = feed.nextBatch(table);
    assertEquals(2, second.seq());
    assertEquals(List.of(new GroupProgress("load", 2, 1, 0, 0, 1, 0)), second.groups());
    assertEquals(1, second.tasks().size());
    DashboardProtocol.TaskEvent e = second.tasks().get(0);
    assertEquals("load-0", e.key());
    assertEquals("load", e.group());
    assertEquals("w1", e.worker());
    assertEquals("memory", e.status());
    assertEquals(100, e.nbytes());
  }

  @Test
  void erredTasksAndTransfersReachTheStreamAndForgottenGroupsAreRemoved() {
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    d.ok("w1", "a", 10);
    d.ok("w2", "b", 20);
    feed.nextBatch(table);
    d.fail(d.t("c").processingOn.name, "c", "ValueError: no");
    DashboardProtocol.SchedulerEvents batch = feed.nextBatch(table);
    DashboardProtocol.TaskEvent c = batch.tasks().get(0);
    assertEquals("erred", c.status());
    assertEquals("ValueError: no", c.error());

    d.forget();
    DashboardProtocol.SchedulerEvents after = feed.nextBatch(table);
    assertEquals(List.of("a", "b", "c"), after.removedGroups());
    assertTrue(table.groupProgress().isEmpty());
  }

  @Test
  void groupsOfSeveralGraphsAddUpByNameAndStayWhileOneGraphHasThem() {
    d.addWorker("w1", 4);
    d.submit("g1", graph(root("x-0"), root("x-1")));
    d.submit("g2", graph(root("x-0")));
    assertEquals(List.of(new GroupProgress("x", 3, 0, 0, 0, 3, 0)), table.groupProgress());
    table.forget("g1");
    assertEquals(List.of(new GroupProgress("x", 1, 0, 0, 0, 1, 0)), table.groupProgress());
    DashboardProtocol.SchedulerEvents batch = feed.nextBatch(table);
    assertTrue(batch.removedGroups().isEmpty(), "g2 still has group x");
  }

  @Test
  void aSnapshotHoldsTheCurrentGroupsWorkersAndRecentTasksAtTheLastSeq() {
    d.addWorker("w1", 1);
    d.submit(graph(root("a"), root("b")));
    d.ok("w1", "a", 1);
    feed.nextBatch(table);
    d.ok("w1", "b", 1);
    DashboardProtocol.Snapshot s = feed.snapshot(table);
    assertEquals(1, s.seq(), "later batches (seq 2, with b) apply on top");
    assertEquals(List.of("a", "b"), s.recentTasks().stream().map(DashboardProtocol.TaskEvent::key).toList());
    assertEquals(1, s.workers().size());
    assertEquals(List.of(new GroupProgress("a", 1, 1, 0, 0, 0, 0), new GroupProgress("b", 1, 1, 0, 0, 0, 0)),
        s.groups());
  }

  @Test
  void pendingTasksAreBoundedKeepingTheNewestAndTheRestCountedAsDropped() {
    d.addWorker("w1", 1);
    d.submit(graph(root("a")));
    TaskRecord a = d.t("a");
    int n = DashboardFeed.MAX_TASKS_PER_BATCH + 5;
    for (int i = 0; i < n; i++) {
      feed.taskRan(a, "w1", ok(a.id(), 1));
    }
    DashboardProtocol.SchedulerEvents batch = feed.nextBatch(table);
    assertEquals(DashboardFeed.MAX_TASKS_PER_BATCH, batch.tasks().size());
    assertEquals(5, batch.droppedTasks());
    assertEquals(n, feed.snapshot(table).recentTasks().size(), "snapshots still hold the recent ones");
  }
}
