package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.Topics;
import org.tasklane.protocol.WorkerInfo;
import org.tasklane.protocol.WorkerProtocol;

/** The scheduler actor with probes for workers: it carries out the task table's decisions. */
class SchedulerTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseResources("application-test.conf").withFallback(ConfigFactory.load()).resolve());
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static SchedulerSettings settings() {
    return SchedulerSettings.fromConfig(testKit.system().settings().config());
  }

  /** A probe that registered as a worker and got the scheduler's RegisterWith. */
  record FakeWorker(TestProbe<WorkerProtocol.Command> probe, TestProbe<WorkerProtocol.DataCommand> data,
      ActorRef<SchedulerProtocol.Command> scheduler) {
    void report(TaskReport... reports) {
      scheduler.tell(new SchedulerProtocol.TasksFinished(probe.ref(), List.of(reports)));
    }

    List<TaskAssignment> expectAssigned(int n) {
      List<TaskAssignment> all = new ArrayList<>();
      while (all.size() < n) {
        // past the scheduler's pings: on a loaded machine its ping timer may fire before the assignment
        all.addAll(expectPastPings(probe, WorkerProtocol.AssignTasks.class).tasks());
      }
      return all;
    }
  }

  static FakeWorker worker(String name, int nthreads) {
    TestProbe<WorkerProtocol.Command> probe = testKit.createTestProbe();
    TestProbe<WorkerProtocol.DataCommand> data = testKit.createTestProbe();
    testKit.system().receptionist().tell(Receptionist.register(WorkerProtocol.SERVICE_KEY, probe.ref()));
    WorkerProtocol.RegisterWith hello = probe.expectMessageClass(WorkerProtocol.RegisterWith.class, TIMEOUT);
    hello.scheduler().tell(new SchedulerProtocol.RegisterWorker(probe.ref(), data.ref(),
        new WorkerInfo(name, "127.0.0.1", "127.0.0.1:1", nthreads, List.of("inc", "add"), 1)));
    return new FakeWorker(probe, data, hello.scheduler());
  }

  static TaskReport ok(long id) {
    long now = System.currentTimeMillis() * 1000;
    return new TaskReport(id, TaskReport.Outcome.OK, 8, now, now + 10, "exec-0", List.of(), null, List.of());
  }

  @Test
  void runsAGraphThroughARegisteredWorkerAndAnswersStatusResultsAndDashboards() {
    ActorRef<SchedulerProtocol.Command> scheduler = testKit.spawn(Scheduler.create(settings()), "scheduler-1");
    TestProbe<DashboardProtocol.Command> dashboard = testKit.createTestProbe();
    ActorRef<Topic.Command<DashboardProtocol.Command>> topic =
        testKit.spawn(Topic.create(DashboardProtocol.Command.class, Topics.SCHEDULER_EVENTS));
    topic.tell(Topic.subscribe(dashboard.ref()));
    FakeWorker w = worker("w1", 1);
    assertEquals(scheduler, w.scheduler());

    GraphSpec graph = new GraphSpec("g", List.of(
        new TaskSpec("a", "inc", List.of(JSON.numberNode(1)), null),
        new TaskSpec("b", "inc", List.of(JSON.objectNode().put("ref", "a")), null)), List.of("b"));
    TestProbe<SchedulerProtocol.SubmitReply> submitter = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.SubmitGraph("g1", graph, submitter.ref()));
    assertTrue(submitter.expectMessageClass(SchedulerProtocol.SubmitReply.class, TIMEOUT).accepted());

    // a client waits for the graph while it runs
    TestProbe<SchedulerProtocol.StatusReply> waiter = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.GetGraphStatus("g1", Duration.ofSeconds(30), waiter.ref()));

    TaskAssignment a = w.expectAssigned(1).get(0);
    assertEquals("a", a.key());
    w.report(ok(a.taskId()));
    TaskAssignment b = w.expectAssigned(1).get(0);
    assertEquals("b", b.key());
    assertEquals(List.of(w.data().ref()), b.inputs().get(0).holders(), "the input is where a ran");
    w.report(ok(b.taskId()));
    // a is released from the worker once b, its only dependent, is done
    assertEquals(List.of(a.taskId()),
        expectPastPings(w.probe(), WorkerProtocol.ReleaseResults.class).taskIds());

    SchedulerProtocol.StatusReply done = waiter.expectMessageClass(SchedulerProtocol.StatusReply.class, TIMEOUT);
    assertEquals("done", done.status().state());
    assertEquals(2, done.status().done());

    TestProbe<SchedulerProtocol.ResultLocations> results = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.GetResultLocations("g1", results.ref()));
    SchedulerProtocol.ResultLocations loc = results.expectMessageClass(SchedulerProtocol.ResultLocations.class, TIMEOUT);
    assertNull(loc.problem());
    assertEquals(List.of(w.data().ref()), loc.locations().get("b").holders());

    // the dashboards heard of both tasks, whoever listens
    List<String> ran = new ArrayList<>();
    while (ran.size() < 2) {
      DashboardProtocol.SchedulerEvents e =
          (DashboardProtocol.SchedulerEvents) dashboard.expectMessageClass(DashboardProtocol.SchedulerEvents.class, TIMEOUT);
      e.tasks().forEach(t -> ran.add(t.key()));
    }
    assertEquals(List.of("a", "b"), ran);
    TestProbe<DashboardProtocol.SnapshotAnswer> snap = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.GetDashboardSnapshot(1, snap.ref()));
    DashboardProtocol.Snapshot s = snap.expectMessageClass(DashboardProtocol.Snapshot.class, TIMEOUT);
    assertEquals(2, s.recentTasks().size());
    assertEquals(1, s.workers().size());

    TestProbe<SchedulerProtocol.ForgetReply> forget = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.ForgetGraph("g1", forget.ref()));
    assertTrue(forget.expectMessageClass(SchedulerProtocol.ForgetReply.class, TIMEOUT).found());
    assertEquals(List.of(b.taskId()),
        expectPastPings(w.probe(), WorkerProtocol.ReleaseResults.class).taskIds());
    testKit.stop(scheduler);
    w.probe().stop();
  }

  /** The next message of this class to the worker, past the scheduler's pings. */
  static <T extends WorkerProtocol.Command> T expectPastPings(TestProbe<WorkerProtocol.Command> probe, Class<T> type) {
    List<WorkerProtocol.Command> got = probe.fishForMessage(TIMEOUT, m -> m instanceof WorkerProtocol.Ping
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete());
    return type.cast(got.get(got.size() - 1));
  }

  @Test
  void aRetiringWorkersResultIsCopiedToAnotherBeforeItIsToldItMayGo() {
    ActorRef<SchedulerProtocol.Command> scheduler = testKit.spawn(Scheduler.create(settings()), "scheduler-3");
    FakeWorker r1 = worker("r1", 1);
    FakeWorker r2 = worker("r2", 1);
    GraphSpec graph = new GraphSpec("g", List.of(
        new TaskSpec("a", "inc", List.of(JSON.numberNode(1)), null),
        new TaskSpec("c", "inc", List.of(JSON.numberNode(2)), null),
        new TaskSpec("b", "add", List.of(JSON.objectNode().put("ref", "a"), JSON.objectNode().put("ref", "c")), null)),
        List.of("b"));
    TestProbe<SchedulerProtocol.SubmitReply> submitter = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.SubmitGraph("g3", graph, submitter.ref()));
    assertTrue(submitter.expectMessageClass(SchedulerProtocol.SubmitReply.class, TIMEOUT).accepted());
    TaskAssignment a = expectPastPings(r1.probe(), WorkerProtocol.AssignTasks.class).tasks().get(0);
    TaskAssignment c = expectPastPings(r2.probe(), WorkerProtocol.AssignTasks.class).tasks().get(0);
    assertEquals("a", a.key());
    r1.report(ok(a.taskId()));

    // r1 stops gracefully: r2 is asked to copy a (which b needs) from r1
    scheduler.tell(new SchedulerProtocol.RetireWorker(r1.probe().ref(), Duration.ofSeconds(30)));
    WorkerProtocol.FetchReplicas copy = expectPastPings(r2.probe(), WorkerProtocol.FetchReplicas.class);
    assertEquals(List.of(a.taskId()), copy.results().stream().map(TaskAssignment.Input::taskId).toList());
    assertEquals(List.of(r1.data().ref()), copy.results().get(0).holders());
    scheduler.tell(new SchedulerProtocol.ReplicasFetched(r2.probe().ref(), List.of(a.taskId()), List.of()));
    WorkerProtocol.Retired retired = expectPastPings(r1.probe(), WorkerProtocol.Retired.class);
    assertEquals(1, retired.handed());
    assertEquals(8, retired.handedBytes());
    assertEquals(0, retired.left());

    // b runs on r2, with a from r2's own copy
    r2.report(ok(c.taskId()));
    TaskAssignment b = expectPastPings(r2.probe(), WorkerProtocol.AssignTasks.class).tasks().get(0);
    assertEquals("b", b.key());
    assertEquals(List.of(r2.data().ref()), b.inputs().get(0).holders());
    TestProbe<SchedulerProtocol.StatusReply> status = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.GetGraphStatus("g3", Duration.ZERO, status.ref()));
    assertEquals(1, status.expectMessageClass(SchedulerProtocol.StatusReply.class, TIMEOUT).status().handedOff());
    testKit.stop(scheduler);
    r1.probe().stop();
    r2.probe().stop();
  }

  @Test
  void anAssignmentCarriesItsTasksTimeoutAndAFailedAttemptIsAssignedAgain() {
    ActorRef<SchedulerProtocol.Command> scheduler = testKit.spawn(Scheduler.create(settings()), "scheduler-4");
    FakeWorker w = worker("t1", 1);
    GraphSpec graph = new GraphSpec("g", List.of(
        new TaskSpec("slow", "inc", List.of(JSON.numberNode(1)), null, 1, 1.5),
        new TaskSpec("plain", "inc", List.of(JSON.numberNode(2)), null)), List.of("slow", "plain"));
    TestProbe<SchedulerProtocol.SubmitReply> submitter = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.SubmitGraph("g4", graph, submitter.ref()));
    assertTrue(submitter.expectMessageClass(SchedulerProtocol.SubmitReply.class, TIMEOUT).accepted());
    List<TaskAssignment> first = expectPastPings(w.probe(), WorkerProtocol.AssignTasks.class).tasks();
    assertEquals(List.of("slow", "plain"), first.stream().map(TaskAssignment::key).toList());
    assertEquals(1500, first.get(0).timeoutMillis());
    assertEquals(0, first.get(1).timeoutMillis(), "no timeout: no limit");

    long now = System.currentTimeMillis() * 1000;
    w.report(new TaskReport(first.get(0).taskId(), TaskReport.Outcome.ERRED, 0, now, now + 1_500_000, "exec-0",
        List.of(), "timed out after 1.5s", List.of()));
    TaskAssignment again = expectPastPings(w.probe(), WorkerProtocol.AssignTasks.class).tasks().get(0);
    assertEquals(first.get(0), again, "the same task, the same timeout");
    testKit.stop(scheduler);
    w.probe().stop();
  }

  @Test
  void rejectsAGraphWithAFunctionNoWorkerKnows() {
    ActorRef<SchedulerProtocol.Command> scheduler = testKit.spawn(Scheduler.create(settings()), "scheduler-2");
    worker("w2", 1);
    GraphSpec graph = new GraphSpec("g", List.of(new TaskSpec("a", "nope", List.of(), null)), List.of("a"));
    TestProbe<SchedulerProtocol.SubmitReply> submitter = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.SubmitGraph("g2", graph, submitter.ref()));
    SchedulerProtocol.SubmitReply reply = submitter.expectMessageClass(SchedulerProtocol.SubmitReply.class, TIMEOUT);
    assertFalse(reply.accepted());
    assertTrue(reply.error().startsWith("unknown function 'nope' in task 'a'"), reply.error());
    TestProbe<SchedulerProtocol.StatusReply> status = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.GetGraphStatus("g2", Duration.ZERO, status.ref()));
    assertNull(status.expectMessageClass(SchedulerProtocol.StatusReply.class, TIMEOUT).status(), "nothing kept");
    testKit.stop(scheduler);
  }

  @Test
  void everyTaskOfABurstReachesTheDashboardsInBatchesWithConsecutiveSeqsAndTheGraphsLifecycle() {
    ActorRef<SchedulerProtocol.Command> scheduler = testKit.spawn(Scheduler.create(settings()), "scheduler-burst");
    TestProbe<DashboardProtocol.Command> dashboard = testKit.createTestProbe();
    ActorRef<Topic.Command<DashboardProtocol.Command>> topic =
        testKit.spawn(Topic.create(DashboardProtocol.Command.class, Topics.SCHEDULER_EVENTS));
    topic.tell(Topic.subscribe(dashboard.ref()));
    int n = 3_000;
    FakeWorker w = worker("burst", n); // takes every task at once
    try {
      burst(scheduler, dashboard, w, n);
    } finally { // also when it fails: a scheduler left running would register the next tests' workers
      testKit.stop(scheduler);
      w.probe().stop();
    }
  }

  private void burst(ActorRef<SchedulerProtocol.Command> scheduler, TestProbe<DashboardProtocol.Command> dashboard,
      FakeWorker w, int n) {
    List<TaskSpec> specs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      specs.add(new TaskSpec("x-" + i, "inc", List.of(JSON.numberNode(i)), null));
    }
    TestProbe<SchedulerProtocol.SubmitReply> submitter = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.SubmitGraph("burst", new GraphSpec("burst", specs, null), submitter.ref()));
    assertTrue(submitter.expectMessageClass(SchedulerProtocol.SubmitReply.class, TIMEOUT).accepted());
    List<TaskAssignment> assigned = w.expectAssigned(n);
    TaskReport[] reports = assigned.stream().map(a -> ok(a.taskId())).toArray(TaskReport[]::new);
    w.report(reports); // one message: all of them wait for the same publish

    List<Long> published = new ArrayList<>();
    List<DashboardProtocol.GraphEvent> graphs = new ArrayList<>();
    long lastSeq = -1;
    String incarnation = null;
    while (published.size() < n || graphs.isEmpty() || !graphs.get(graphs.size() - 1).state().equals("done")) {
      DashboardProtocol.SchedulerEvents e =
          (DashboardProtocol.SchedulerEvents) dashboard.expectMessageClass(DashboardProtocol.SchedulerEvents.class, TIMEOUT);
      if (incarnation == null) {
        incarnation = e.incarnation();
      } else {
        assertEquals(incarnation, e.incarnation());
        assertEquals(lastSeq + 1, e.seq(), "consecutive seqs: a dashboard sees no gap");
      }
      lastSeq = e.seq();
      assertTrue(e.tasks().size() <= DashboardFeed.MAX_TASKS_PER_BATCH, e.tasks().size() + " tasks in one batch");
      assertEquals(0, e.droppedTasks());
      e.tasks().forEach(t -> published.add(t.taskId()));
      graphs.addAll(e.graphs());
    }
    assertEquals(assigned.stream().map(TaskAssignment::taskId).sorted().toList(), published.stream().sorted().toList(),
        "every task once");
    assertEquals(List.of("burst"), graphs.stream().map(DashboardProtocol.GraphEvent::graphId).distinct().toList());
    assertEquals(List.of("x"), graphs.get(0).groups().stream().map(g -> g.name()).toList(),
        "the first event has every group");
    assertEquals(n, graphs.get(0).groups().get(0).total());
    assertEquals(n, graphs.get(graphs.size() - 1).groups().get(0).memory(), "done, with the counts after every task");
  }
}
