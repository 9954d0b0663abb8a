package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.worker.TestingTasks.TIMEOUT;
import static org.tasklane.worker.TestingTasks.fetch;
import static org.tasklane.worker.TestingTasks.input;
import static org.tasklane.worker.TestingTasks.num;
import static org.tasklane.worker.TestingTasks.ref;
import static org.tasklane.worker.TestingTasks.report;
import static org.tasklane.worker.TestingTasks.reports;
import static org.tasklane.worker.TestingTasks.spawnRegistered;
import static org.tasklane.worker.TestingTasks.status;
import static org.tasklane.worker.TestingTasks.task;
import static org.tasklane.worker.TestingTasks.text;

import com.fasterxml.jackson.databind.node.LongNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.WorkerProtocol;

/** One worker at a time, with a probe as its scheduler; every message goes through CBOR. */
class WorkerTest {
  static final Config config = ConfigFactory.load("application-test");
  static final ActorTestKit testKit = ActorTestKit.create(config);
  static final FunctionRegistry registry = FunctionRegistry.load();
  private static final AtomicInteger names = new AtomicInteger();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static WorkerSettings settings() {
    return WorkerSettings.fromConfig(config).withIdentity("worker-" + names.incrementAndGet(), "127.0.0.1", "127.0.0.1:0");
  }

  private static TestingTasks.Registered spawn() {
    return spawnRegistered(testKit, settings(), registry, ExecutorFactory.fixedThreadPool());
  }

  @Test
  void answersRegistrationWithItsRefsAndInfo() {
    WorkerSettings settings = settings();
    TestingTasks.Registered w = spawnRegistered(testKit, settings, registry, ExecutorFactory.fixedThreadPool());
    SchedulerProtocol.RegisterWorker reg = w.registration();
    assertEquals(w.worker(), reg.worker());
    assertEquals("data", reg.data().path().name());
    assertEquals(w.worker().path().toStringWithoutAddress() + "/data", reg.data().path().toStringWithoutAddress());
    assertEquals(settings.name(), reg.info().name());
    assertEquals("127.0.0.1", reg.info().host());
    assertEquals(2, reg.info().nthreads());
    assertEquals(ProcessHandle.current().pid(), reg.info().pid());
    assertTrue(reg.info().functions().containsAll(
        List.of("inc", "add", "sum", "sleep", "slowinc", "bytes", "len", "fail", "identity", "checksum", "hold", "shout")),
        reg.info().functions().toString());
  }

  @Test
  void aNewSchedulerReplacesTheOld() {
    TestingTasks.Registered w = spawn();
    TestProbe<SchedulerProtocol.Command> second = testKit.createTestProbe();
    w.worker().tell(new WorkerProtocol.RegisterWith(second.ref(), "second"));
    second.expectMessageClass(SchedulerProtocol.RegisterWorker.class, TIMEOUT);
    w.assign(task(1, "inc-1", "inc", num(1)));
    assertEquals(1, report(second).taskId());
    w.scheduler().expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void reportsWaitForARegistration() {
    ActorRef<WorkerProtocol.Command> worker =
        testKit.spawn(Worker.create(settings(), registry, ExecutorFactory.fixedThreadPool()), "unregistered");
    worker.tell(new WorkerProtocol.AssignTasks(List.of(task(1, "inc-1", "inc", num(1)))));
    TestProbe<SchedulerProtocol.Command> scheduler = testKit.createTestProbe();
    // Once the task is done (status says so), register; the report must follow the registration.
    TestProbe<WorkerProtocol.WorkerStatus> statusProbe = testKit.createTestProbe();
    statusProbe.awaitAssert(TIMEOUT, () -> {
      worker.tell(new WorkerProtocol.GetWorkerStatus(statusProbe.ref()));
      assertEquals(1, statusProbe.expectMessageClass(WorkerProtocol.WorkerStatus.class).figures().tasks().completed());
      return null;
    });
    worker.tell(new WorkerProtocol.RegisterWith(scheduler.ref(), "late"));
    scheduler.expectMessageClass(SchedulerProtocol.RegisterWorker.class, TIMEOUT);
    assertEquals(1, report(scheduler).taskId());
  }

  @Test
  void registersWithTheReceptionist() {
    TestingTasks.Registered w = spawn();
    TestProbe<Receptionist.Listing> probe = testKit.createTestProbe();
    testKit.system().receptionist().tell(Receptionist.subscribe(WorkerProtocol.SERVICE_KEY, probe.ref()));
    probe.fishForMessage(TIMEOUT, listing ->
        listing.getServiceInstances(WorkerProtocol.SERVICE_KEY).contains(w.worker())
            ? FishingOutcomes.complete()
            : FishingOutcomes.continueAndIgnore());
  }

  @Test
  void incReportsOkAndHoldsTheResult() {
    TestingTasks.Registered w = spawn();
    w.assign(task(1, "inc-1", "inc", num(41)));
    TaskReport r = report(w.scheduler());
    assertEquals(1, r.taskId());
    assertEquals(TaskReport.Outcome.OK, r.outcome());
    assertEquals(8, r.nbytes());
    assertTrue(r.thread().matches("exec-[01]"), r.thread());
    assertTrue(r.startMicros() > 1_600_000_000_000_000L, "epoch micros: " + r.startMicros());
    assertTrue(r.startMicros() <= r.stopMicros());
    assertEquals(List.of(), r.transfers());
    assertNull(r.error());

    WorkerProtocol.WorkerStatus s = status(testKit, w.worker());
    assertEquals(List.of(1L), s.heldTaskIds());
    assertEquals(1, s.figures().tasks().heldResults());
    assertEquals(8, s.figures().tasks().heldBytes());
    assertEquals(1, s.figures().tasks().completed());
    assertEquals(0, s.figures().tasks().executing());
    assertEquals(0, s.figures().tasks().queued());

    WorkerProtocol.DataFetched served = fetch(testKit, w.data(), 1L, 2L);
    assertEquals(w.registration().info().name(), served.peer());
    assertEquals(List.of(new WorkerProtocol.DataItem(1, LongNode.valueOf(42), 8)), normalized(served.items()));
    assertEquals(List.of(2L), served.missing());
    WorkerProtocol.WorkerStatus after = status(testKit, w.worker());
    assertEquals(1, after.figures().transfers().out());
    assertEquals(8, after.figures().transfers().bytesOut());
  }

  @Test
  void manyTasksInOneAssignmentAreAllReported() {
    TestingTasks.Registered w = spawn();
    int n = 500;
    List<TaskAssignment> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(task(i, "inc-" + i, "inc", num(i)));
    }
    w.worker().tell(new WorkerProtocol.AssignTasks(tasks));
    Set<Long> ids = new HashSet<>();
    for (TaskReport r : reports(w.scheduler(), n)) {
      assertEquals(TaskReport.Outcome.OK, r.outcome(), r.toString());
      ids.add(r.taskId());
    }
    assertEquals(n, ids.size());
    WorkerProtocol.WorkerStatus s = status(testKit, w.worker());
    assertEquals(n, s.figures().tasks().completed());
    assertEquals(n, s.figures().tasks().heldResults());
  }

  @Test
  void aLocalInputIsUsedDirectly() {
    TestingTasks.Registered w = spawn();
    w.assign(task(1, "a", "inc", num(1)));
    report(w.scheduler());
    w.assign(task(2, "b", "add", List.of(ref("a"), num(10)), List.of(input(1, "a", 8, w.data()))));
    TaskReport r = report(w.scheduler());
    assertEquals(TaskReport.Outcome.OK, r.outcome(), r.toString());
    assertEquals(List.of(), r.transfers());
    assertEquals(12, fetch(testKit, w.data(), 2L).items().get(0).value().longValue());
    assertEquals(0, status(testKit, w.worker()).figures().transfers().in());
  }

  @Test
  void failReportsErredWithItsMessage() {
    TestingTasks.Registered w = spawn();
    w.assign(task(1, "f", "fail", text("boom")));
    TaskReport r = report(w.scheduler());
    assertEquals(TaskReport.Outcome.ERRED, r.outcome());
    assertTrue(r.error().startsWith("RuntimeException: boom | at "), r.error());
    assertEquals(0, r.nbytes());
    assertEquals(0, status(testKit, w.worker()).figures().tasks().heldResults());
  }

  @Test
  void unknownFunctionIsErred() {
    TestingTasks.Registered w = spawn();
    w.assign(task(1, "x", "nope"));
    TaskReport r = report(w.scheduler());
    assertEquals(TaskReport.Outcome.ERRED, r.outcome());
    assertEquals("unknown function 'nope' on worker " + w.registration().info().name(), r.error());
  }

  @Test
  void theTestOnlyFunctionRuns() {
    TestingTasks.Registered w = spawn();
    w.assign(task(1, "s", "shout", text("hi")));
    assertEquals(TaskReport.Outcome.OK, report(w.scheduler()).outcome());
    assertEquals("HI!", fetch(testKit, w.data(), 1L).items().get(0).value().textValue());
  }

  @Test
  void releaseResultsRemovesThem() {
    TestingTasks.Registered w = spawn();
    w.assign(task(1, "a", "inc", num(1)), task(2, "b", "inc", num(2)));
    reports(w.scheduler(), 2);
    assertEquals(2, status(testKit, w.worker()).figures().tasks().heldResults());
    w.worker().tell(new WorkerProtocol.ReleaseResults(List.of(1L, 99L)));
    WorkerProtocol.WorkerStatus s = status(testKit, w.worker());
    assertEquals(List.of(2L), s.heldTaskIds());
    assertEquals(8, s.figures().tasks().heldBytes());
    assertEquals(List.of(1L), fetch(testKit, w.data(), 1L).missing());
  }

  @Test
  void aResultOverMaxResultBytesIsErred() {
    Config low = ConfigFactory.parseString("tasklane.worker.max-result-bytes = 1KiB").withFallback(config);
    WorkerSettings settings = WorkerSettings.fromConfig(low).withIdentity("worker-small", "", "");
    TestingTasks.Registered w = spawnRegistered(testKit, settings, registry, ExecutorFactory.fixedThreadPool());
    w.assign(task(1, "big", "bytes", num(2000)));
    TaskReport big = report(w.scheduler());
    assertEquals(TaskReport.Outcome.ERRED, big.outcome());
    assertEquals("result of big is 2000 bytes, over the limit of 1024 bytes (tasklane.worker.max-result-bytes)",
        big.error());
    w.assign(task(2, "small", "bytes", num(1000)));
    TaskReport small = report(w.scheduler());
    assertEquals(TaskReport.Outcome.OK, small.outcome());
    assertEquals(1000, small.nbytes());
    assertEquals(List.of(2L), status(testKit, w.worker()).heldTaskIds());
  }

  @Test
  void theWorkerHandsItsExecutorOneLaneLoopPerThreadAndNothingElse() {
    TestingExecutor executor = new TestingExecutor();
    TestingTasks.Registered w = spawnRegistered(testKit, settings(), registry, executor.factory());
    assertEquals(2, executor.nthreadsAsked());
    for (int i = 1; i <= 5; i++) {
      w.assign(task(i, "id-" + i, "identity", num(i)));
    }
    WorkerProtocol.WorkerStatus s = status(testKit, w.worker());
    assertEquals(0, s.figures().tasks().executing(), "no lane runs: the testing executor holds them");
    assertEquals(5, s.figures().tasks().queued());
    assertEquals(2, executor.mostHeld(), "one long-running lane loop per thread, never one runnable per task");
  }

  @Test
  void atMostNthreadsTasksRunAtOnceAndTheRestWaitInTheWorker() {
    TestingTasks.Registered w =
        spawnRegistered(testKit, settings(), registry, ExecutorFactory.fixedThreadPool());
    for (int i = 1; i <= 5; i++) {
      w.assign(task(i, "nap-" + i, "sleep", num(3)));
    }
    WorkerProtocol.WorkerStatus[] last = new WorkerProtocol.WorkerStatus[1];
    testKit.createTestProbe().awaitAssert(TIMEOUT, () -> {
      last[0] = status(testKit, w.worker());
      assertEquals(2, last[0].figures().tasks().executing());
      return null;
    });
    assertEquals(3, last[0].figures().tasks().queued(), "the other three wait in the worker, not on a thread");
  }

  @Test
  void readyTasksRunInAssignmentOrderOnOneThread() {
    Config one = ConfigFactory.parseString("tasklane.worker.nthreads = 1").withFallback(testKit.system().settings().config());
    WorkerSettings settings = WorkerSettings.fromConfig(one).withIdentity("worker-one", "", "");
    TestingTasks.Registered w = spawnRegistered(testKit, settings, registry, ExecutorFactory.fixedThreadPool());
    List<TaskAssignment> tasks = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      tasks.add(task(i, "id-" + i, "identity", num(i)));
    }
    w.worker().tell(new WorkerProtocol.AssignTasks(tasks));
    List<TaskReport> reports = new ArrayList<>();
    while (reports.size() < 50) {
      reports.addAll(w.scheduler().expectMessageClass(SchedulerProtocol.TasksFinished.class, TIMEOUT).reports());
    }
    for (int i = 0; i < 50; i++) {
      assertEquals(i + 1, reports.get(i).taskId());
      if (i > 0) {
        assertTrue(reports.get(i).startMicros() >= reports.get(i - 1).stopMicros(), "one after another");
      }
    }
  }

  @Test
  void stoppingTheWorkerShutsItsExecutorDown() {
    TestingExecutor executor = new TestingExecutor();
    ActorRef<WorkerProtocol.Command> worker =
        testKit.spawn(Worker.create(settings(), registry, executor.factory()), "stopping");
    status(testKit, worker);
    assertFalse(executor.isShutdown());
    testKit.stop(worker, TIMEOUT);
    assertTrue(executor.isShutdown());
  }

  /** CBOR may turn a small LongNode into an IntNode: compare values, not node classes. */
  private static List<WorkerProtocol.DataItem> normalized(List<WorkerProtocol.DataItem> items) {
    List<WorkerProtocol.DataItem> out = new ArrayList<>();
    for (WorkerProtocol.DataItem i : items) {
      out.add(new WorkerProtocol.DataItem(
          i.taskId(), i.value().isIntegralNumber() ? LongNode.valueOf(i.value().longValue()) : i.value(), i.nbytes()));
    }
    return out;
  }
}
