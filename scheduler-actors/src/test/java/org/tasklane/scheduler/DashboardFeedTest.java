package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.WorkerInfo;
import org.tasklane.protocol.api.GroupProgress;

/** What the scheduler publishes to dashboards: batches of group changes and tasks that ran, and snapshots. */
class DashboardFeedTest {
  private final TaskTable table = new TaskTable(TablePolicy.DEFAULT, TableSettings.CHECKED);
  private final TaskTableDriver d = new TaskTableDriver(table);
  private final DashboardFeed feed = feed(200_000);

  DashboardFeedTest() {
    table.observe(feed);
  }

  private static DashboardFeed feed(int maxPendingTasks) {
    return new DashboardFeed("inc-1", name -> new WorkerInfo(name, "host-" + name, "host-" + name + ":1", 1, FUNCTIONS, 1),
        name -> 1.5, maxPendingTasks);
  }

  /** This tick's only batch; null if there is none. */
  private DashboardProtocol.SchedulerEvents oneBatch() {
    List<DashboardProtocol.SchedulerEvents> batches = feed.nextBatches(table);
    assertTrue(batches.size() <= 1, () -> batches.size() + " batches");
    return batches.isEmpty() ? null : batches.get(0);
  }

  /** This tick's graph events. */
  private List<DashboardProtocol.GraphEvent> graphEvents() {
    DashboardProtocol.SchedulerEvents b = oneBatch();
    return b == null ? List.of() : b.graphs();
  }

  private static GroupProgress group(String name, int total, int memory, int released, int erred, int processing,
      int waiting) {
    return new GroupProgress(name, total, memory, released, erred, processing, waiting);
  }

  @Test
  void aBatchCarriesChangedGroupsAndTheTasksThatRanThenNothingUntilTheNextChange() {
    d.addWorker("w1", 1);
    d.submit(graph(root("load-0"), root("load-1"), task("total", "add", "load-0", "load-1")));
    DashboardProtocol.SchedulerEvents first = oneBatch();
    assertEquals(1, first.seq());
    assertEquals("inc-1", first.incarnation());
    assertEquals(List.of(group("load", 2, 0, 0, 0, 2, 0), group("total", 1, 0, 0, 0, 0, 1)), first.groups());
    assertTrue(first.workersChanged());
    assertEquals("host-w1", first.workers().get(0).host());
    assertEquals(2, first.workers().get(0).processing());
    assertEquals(1.5, first.workers().get(0).latencyMillis());
    assertNull(oneBatch(), "nothing changed: no batch");

    d.ok("w1", "load-0", 100);
    DashboardProtocol.SchedulerEvents second = oneBatch();
    assertEquals(2, second.seq());
    assertEquals(List.of(group("load", 2, 1, 0, 0, 1, 0)), second.groups());
    assertEquals(1, second.tasks().size());
    DashboardProtocol.TaskEvent e = second.tasks().get(0);
    assertEquals("load-0", e.key());
    assertEquals("load", e.group());
    assertEquals("w1", e.worker());
    assertEquals("memory", e.status());
    assertEquals(100, e.nbytes());
    assertEquals(List.of(), e.deps());
  }

  @Test
  void erredTasksAndTransfersReachTheStreamAndForgottenGroupsAreRemoved() {
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    d.ok("w1", "a", 10);
    d.ok("w2", "b", 20);
    oneBatch();
    d.fail(d.t("c").processingOn.name, "c", "ValueError: no");
    DashboardProtocol.SchedulerEvents batch = oneBatch();
    DashboardProtocol.TaskEvent c = batch.tasks().get(0);
    assertEquals("erred", c.status());
    assertEquals("ValueError: no", c.error());

    d.forget();
    DashboardProtocol.SchedulerEvents after = oneBatch();
    assertEquals(List.of("a", "b", "c"), after.removedGroups());
    assertTrue(table.groupProgress().isEmpty());
  }

  @Test
  void groupsOfSeveralGraphsAddUpByNameAndStayWhileOneGraphHasThem() {
    d.addWorker("w1", 4);
    d.submit("g1", graph(root("x-0"), root("x-1")));
    d.submit("g2", graph(root("x-0")));
    assertEquals(List.of(group("x", 3, 0, 0, 0, 3, 0)), table.groupProgress());
    d.forget("g1");
    assertEquals(List.of(group("x", 1, 0, 0, 0, 1, 0)), table.groupProgress());
    DashboardProtocol.SchedulerEvents batch = oneBatch();
    assertTrue(batch.removedGroups().isEmpty(), "g2 still has group x");
  }

  @Test
  void aSnapshotHoldsTheCurrentGroupsWorkersGraphsAndRecentTasksAtTheLastSeq() {
    d.addWorker("w1", 1);
    d.submit(graph(root("a"), root("b")));
    d.ok("w1", "a", 1);
    oneBatch();
    d.ok("w1", "b", 1);
    d.submit("g2", graph(root("x-0"), root("x-1"), root("y")));
    DashboardProtocol.Snapshot s = feed.snapshot(table);
    assertEquals(1, s.seq(), "later batches (seq 2, with b) apply on top");
    assertEquals(List.of("a", "b"), s.recentTasks().stream().map(DashboardProtocol.TaskEvent::key).toList());
    assertEquals(1, s.workers().size());
    assertEquals(List.of(group("a", 1, 1, 0, 0, 0, 0), group("b", 1, 1, 0, 0, 0, 0), group("x", 2, 0, 0, 0, 2, 0),
        group("y", 1, 0, 0, 0, 0, 1)), s.groups());
    assertEquals(List.of(
        new DashboardProtocol.GraphEvent(G, "test", "done", SUBMITTED_MILLIS, table.graph(G).finishedMillis, 2, 0,
            List.of(group("a", 1, 1, 0, 0, 0, 0), group("b", 1, 1, 0, 0, 0, 0))),
        new DashboardProtocol.GraphEvent("g2", "test", "running", SUBMITTED_MILLIS, 0, 3, 0,
            List.of(group("x", 2, 0, 0, 0, 2, 0), group("y", 1, 0, 0, 0, 0, 1)))), s.graphs(),
        "every graph held, each with every group, published or not");

    d.forget();
    assertEquals(List.of("g2"), feed.snapshot(table).graphs().stream().map(DashboardProtocol.GraphEvent::graphId).toList());
  }

  /** Keys of 1,000 characters: a thousand of them would be a batch of 1 MB, over the text a batch may carry. */
  @Test
  void longRecordsGoInSmallerBatches() {
    int n = 3_000;
    d.addWorker("w1", n);
    List<TaskSpec> specs = new ArrayList<>(n);
    String pad = "\u00fc".repeat(990);
    for (int i = 0; i < n; i++) {
      specs.add(root(pad + "-" + i));
    }
    d.submit(new org.tasklane.protocol.GraphSpec("long", specs, null));
    long seq = oneBatch().seq();
    List<TaskReport> reports = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reports.add(ok(d.t(pad + "-" + i).id(), 8));
    }
    d.report("w1", reports);

    List<DashboardProtocol.SchedulerEvents> batches = feed.nextBatches(table);
    assertTrue(batches.size() >= 3 * 1_000 * 1_000 / DashboardFeed.BATCH_CHARS, batches.size() + " batches");
    int published = 0;
    for (DashboardProtocol.SchedulerEvents b : batches) {
      assertEquals(++seq, b.seq());
      long chars = b.tasks().stream().mapToLong(t -> t.key().length() + t.group().length()).sum();
      assertTrue(chars <= DashboardFeed.BATCH_CHARS, chars + " characters of keys in one batch");
      published += b.tasks().size();
    }
    assertEquals(n, published, "every task once");
  }

  @Test
  void everyTaskOfABurstIsPublishedInBatchesOfAtMostAThousandWithConsecutiveSeqs() {
    int n = 5_000;
    d.addWorker("w1", n); // takes every task at once
    List<TaskSpec> specs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      specs.add(root("x-" + i));
    }
    d.submit(new org.tasklane.protocol.GraphSpec("burst", specs, null));
    long seq = oneBatch().seq();
    List<TaskReport> reports = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reports.add(ok(d.t("x-" + i).id(), 8));
    }
    d.report("w1", reports);

    List<DashboardProtocol.SchedulerEvents> batches = feed.nextBatches(table);
    assertEquals(5, batches.size());
    List<Long> published = new ArrayList<>();
    for (DashboardProtocol.SchedulerEvents b : batches) {
      assertEquals(++seq, b.seq(), "consecutive seqs: dashboards see no gap");
      assertTrue(b.tasks().size() <= DashboardFeed.MAX_TASKS_PER_BATCH, b.tasks().size() + " tasks in one batch");
      assertEquals(0, b.droppedTasks());
      b.tasks().forEach(t -> published.add(t.taskId()));
    }
    List<Long> expected = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      expected.add(d.t("x-" + i).id());
    }
    assertEquals(expected, published, "every task once, oldest first");
    for (DashboardProtocol.SchedulerEvents b : batches.subList(0, batches.size() - 1)) {
      assertEquals(List.of(), b.groups(), "only the last batch carries groups");
      assertEquals(List.of(), b.graphs(), "only the last batch carries graphs");
      assertFalse(b.workersChanged());
    }
    DashboardProtocol.SchedulerEvents last = batches.get(batches.size() - 1);
    assertEquals(List.of(group("x", n, n, 0, 0, 0, 0)), last.groups(), "the counts after every task of the tick");
    assertEquals("done", last.graphs().get(0).state());
    assertTrue(last.workersChanged());
    assertTrue(feed.nextBatches(table).isEmpty());
  }

  @Test
  void aTaskEventCarriesTheIdsOfItsDistinctInputs() {
    d.addWorker("w1", 2);
    d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b", "a")));
    d.ok("w1", "a", 1);
    d.ok("w1", "b", 1);
    d.ok("w1", "c", 1);
    List<DashboardProtocol.TaskEvent> tasks = oneBatch().tasks();
    assertEquals(List.of("a", "b", "c"), tasks.stream().map(DashboardProtocol.TaskEvent::key).toList());
    assertEquals(List.of(), tasks.get(0).deps());
    assertEquals(List.of(d.t("a").id(), d.t("b").id()), tasks.get(2).deps());
  }

  @Test
  void aGraphIsPublishedAcceptedWithEveryGroupThenItsChangedGroupsThenFinished() {
    d.submit(graph(root("load-0"), root("load-1"), task("total", "add", "load-0", "load-1")));
    assertEquals(List.of(new DashboardProtocol.GraphEvent(G, "test", "running", SUBMITTED_MILLIS, 0, 3, 0,
        List.of(group("load", 2, 0, 0, 0, 0, 2), group("total", 1, 0, 0, 0, 0, 1)),
        List.of(new DashboardProtocol.GroupEdge("load", "total")), false)), graphEvents(), "accepted, with its edges");

    d.addWorker("w1", 1);
    assertEquals(List.of(new DashboardProtocol.GraphEvent(G, "test", "running", SUBMITTED_MILLIS, 0, 3, 0,
        List.of(group("load", 2, 0, 0, 0, 2, 0)))), graphEvents(), "only the group that changed, absolute counts");
    assertEquals(List.of(), graphEvents(), "nothing changed");

    d.ok("w1", "load-0", 1);
    d.ok("w1", "load-1", 1);
    assertEquals(List.of(new DashboardProtocol.GraphEvent(G, "test", "running", SUBMITTED_MILLIS, 0, 3, 0,
        List.of(group("load", 2, 2, 0, 0, 0, 0), group("total", 1, 0, 0, 0, 1, 0)))), graphEvents());

    d.fail("w1", "total", "ValueError: no");
    long finished = table.graph(G).finishedMillis;
    assertTrue(finished > 0);
    assertEquals(List.of(new DashboardProtocol.GraphEvent(G, "test", "done", SUBMITTED_MILLIS, finished, 3, 1,
        List.of(group("load", 2, 0, 2, 0, 0, 0), group("total", 1, 0, 0, 1, 0, 0)))), graphEvents(),
        "finished: its state, end and erred count");

    d.forget();
    assertEquals(List.of(), graphEvents(), "a finished graph forgotten with nothing unpublished needs no event");
  }

  @Test
  void aGraphAcceptedAndFinishedWithinOneTickIsAnnouncedRunningWithEveryGroupThenDone() {
    d.addWorker("w1", 2);
    d.submit(graph(root("a-0"), root("b-0")));
    d.ok("w1", "a-0", 1);
    d.ok("w1", "b-0", 1);
    List<GroupProgress> groups = List.of(group("a", 1, 1, 0, 0, 0, 0), group("b", 1, 1, 0, 0, 0, 0));
    assertEquals(List.of(
        new DashboardProtocol.GraphEvent(G, "test", "running", SUBMITTED_MILLIS, 0, 2, 0, groups),
        new DashboardProtocol.GraphEvent(G, "test", "done", SUBMITTED_MILLIS, table.graph(G).finishedMillis, 2, 0,
            groups)),
        graphEvents(), "one batch: its start, then (after its tasks) its end");
  }

  @Test
  void groupEdgesGoWithTheFirstEventAndEverySnapshotOnly() {
    d.addWorker("w1", 1);
    d.submit(graph(root("a-0"), root("a-1"), task("b-0", "add", "a-0", "a-1"), task("c-0", "inc", "b-0")));
    List<DashboardProtocol.GroupEdge> edges = List.of(new DashboardProtocol.GroupEdge("a", "b"),
        new DashboardProtocol.GroupEdge("b", "c"));
    assertEquals(edges, graphEvents().get(0).edges(), "accepted");
    d.ok("w1", "a-0", 1);
    DashboardProtocol.GraphEvent changed = graphEvents().get(0);
    assertEquals(List.of(), changed.edges(), "a change carries no edges");
    assertFalse(changed.edgesTruncated());
    assertEquals(edges, feed.snapshot(table).graphs().get(0).edges(), "a dashboard that joins learns them");
  }

  @Test
  void aGraphAcceptedAndFinishedWithinOneTickHasItsEdgesInItsOpeningEventOnly() {
    d.addWorker("w1", 2);
    d.submit(graph(root("a-0"), task("b-0", "inc", "a-0")));
    d.ok("w1", "a-0", 1);
    d.ok("w1", "b-0", 1);
    List<DashboardProtocol.GraphEvent> events = graphEvents();
    assertEquals(List.of("running", "done"), events.stream().map(DashboardProtocol.GraphEvent::state).toList());
    assertEquals(List.of(new DashboardProtocol.GroupEdge("a", "b")), events.get(0).edges());
    assertEquals(List.of(), events.get(1).edges());
  }

  @Test
  void aLargeGraphAcceptedAndFinishedWithinOneTickStartsInTheFirstBatchAndEndsInTheLast() {
    int n = 2_500;
    d.addWorker("w1", n);
    List<TaskSpec> specs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      specs.add(root("x-" + i));
    }
    d.submit(new org.tasklane.protocol.GraphSpec("burst", specs, null));
    List<TaskReport> reports = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reports.add(ok(d.t("x-" + i).id(), 8));
    }
    d.report("w1", reports);
    List<DashboardProtocol.SchedulerEvents> batches = feed.nextBatches(table);
    assertEquals(3, batches.size());
    // a consumer that applies a batch's new graphs, its tasks, then its ended graphs loses no task
    assertEquals(List.of("running"), batches.get(0).graphs().stream().map(DashboardProtocol.GraphEvent::state).toList());
    assertEquals(List.of(group("x", n, n, 0, 0, 0, 0)), batches.get(0).graphs().get(0).groups(), "every group");
    assertFalse(batches.get(0).tasks().isEmpty());
    assertEquals(List.of(), batches.get(1).graphs());
    assertEquals(List.of("done"), batches.get(2).graphs().stream().map(DashboardProtocol.GraphEvent::state).toList());
    assertTrue(feed.nextBatches(table).isEmpty());
  }

  @Test
  void aGraphFinishedAndForgottenWithinOneTickStillGetsItsEventAsItFinished() {
    d.addWorker("w1", 1);
    d.submit(graph(root("a")));
    d.ok("w1", "a", 1);
    long finished = table.graph(G).finishedMillis;
    d.forget();
    List<GroupProgress> groups = List.of(group("a", 1, 1, 0, 0, 0, 0));
    assertEquals(List.of(new DashboardProtocol.GraphEvent(G, "test", "running", SUBMITTED_MILLIS, 0, 1, 0, groups),
        new DashboardProtocol.GraphEvent(G, "test", "done", SUBMITTED_MILLIS, finished, 1, 0, groups)),
        graphEvents(), "the counts before it was forgotten");
  }

  @Test
  void aGraphForgottenWhileRunningIsCancelled() {
    d.addWorker("w1", 1);
    d.submit(graph(root("a"), root("b")));
    graphEvents();
    long before = System.currentTimeMillis();
    d.forget();
    List<DashboardProtocol.GraphEvent> events = graphEvents();
    assertEquals(1, events.size());
    DashboardProtocol.GraphEvent e = events.get(0);
    assertEquals("cancelled", e.state());
    assertTrue(e.finishedMillis() >= before, "when it was cancelled");
    assertEquals(List.of(), e.groups(), "no group changed since its last event");
    assertEquals(List.of(), graphEvents());
  }

  @Test
  void onlyGraphsThatChangedGetAnEvent() {
    d.addWorker("w1", 4);
    d.submit("g1", graph(root("a")));
    d.submit("g2", graph(root("b")));
    assertEquals(List.of("g1", "g2"), graphEvents().stream().map(DashboardProtocol.GraphEvent::graphId).toList());
    d.report("w1", List.of(ok(d.t("g2", "b").id(), 1)));
    assertEquals(List.of("g2"), graphEvents().stream().map(DashboardProtocol.GraphEvent::graphId).toList());
  }

  @Test
  void pendingTasksAreBoundedDroppingTheOldestAndCountingThem() {
    DashboardFeed small = feed(10);
    d.addWorker("w1", 1);
    d.submit(graph(root("a")));
    TaskRecord a = d.t("a");
    for (int i = 0; i < 15; i++) {
      small.taskRan(a, "w1", ok(a.id(), i)); // nbytes tells them apart
    }
    List<DashboardProtocol.SchedulerEvents> batches = small.nextBatches(table);
    assertEquals(1, batches.size());
    assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L),
        batches.get(0).tasks().stream().map(DashboardProtocol.TaskEvent::nbytes).toList(), "the newest 10");
    assertEquals(5, batches.get(0).droppedTasks());
    assertEquals(15, small.snapshot(table).recentTasks().size(), "snapshots still hold the recent ones");

    small.taskRan(a, "w1", ok(a.id(), 99));
    assertEquals(0, small.nextBatches(table).get(0).droppedTasks(), "counted once");
  }

  @Test
  void theFirstFewTracesOfAKindGoOutAndTheSnapshotKeepsNone() {
    d.addWorker("w1", 8);
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      specs.add(root("f-" + i));
    }
    d.submit(graph(specs.toArray(new TaskSpec[0])));
    oneBatch();
    List<TaskReport> reports = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      reports.add(new TaskReport(d.t("f-" + i).id(), TaskReport.Outcome.ERRED, 0, T0, T0 + 1, "exec-0", List.of(),
          "IllegalStateException: row " + i, List.of(),
          "java.lang.IllegalStateException: row " + i + "\n\tat my.Job.run(Job.java:3)\n"));
    }
    d.report("w1", reports);
    List<DashboardProtocol.TaskEvent> sent = oneBatch().tasks();
    assertEquals(5, sent.size());
    assertEquals(TraceSampler.PER_KIND, sent.stream().filter(e -> e.trace() != null).count());
    assertEquals("java.lang.IllegalStateException: row 0\n\tat my.Job.run(Job.java:3)\n", sent.get(0).trace());
    assertTrue(feed.snapshot(table).recentTasks().stream().allMatch(e -> e.trace() == null));
    assertEquals("f-4", feed.lastRun(d.t("f-4").id()).key());
  }
}
