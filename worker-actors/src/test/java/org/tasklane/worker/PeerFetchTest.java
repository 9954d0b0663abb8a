package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.Transfer;
import org.tasklane.protocol.WorkerProtocol;

/** Two workers in one test kit: inputs move between their data endpoints. */
class PeerFetchTest {
  static final Config config = ConfigFactory.load("application-test");
  static final ActorTestKit testKit = ActorTestKit.create(config);
  static final FunctionRegistry registry = FunctionRegistry.load();
  private static final AtomicInteger names = new AtomicInteger();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static TestingTasks.Registered spawn(String role, Duration fetchTimeout) {
    WorkerSettings s = WorkerSettings.fromConfig(config);
    s = new WorkerSettings("worker-" + role + "-" + names.incrementAndGet(), "127.0.0.1", "127.0.0.1:0",
        s.nthreads(), fetchTimeout, s.maxResultBytes());
    return spawnRegistered(testKit, s, registry, ExecutorFactory.fixedThreadPool());
  }

  private static TestingTasks.Registered spawn(String role) {
    return spawn(role, Duration.ofSeconds(30));
  }

  /** B computes inc(value) under this id and key. */
  private static void holdOn(TestingTasks.Registered b, long id, String key, long value) {
    b.assign(task(id, key, "inc", num(value)));
    assertEquals(TaskReport.Outcome.OK, report(b.scheduler()).outcome());
  }

  @Test
  void messagesCrossTheSerializerAndBinaryStaysBinary() {
    assertTrue(testKit.system().settings().config().getBoolean("pekko.actor.serialize-messages"));
    WorkerProtocol.DataFetched sent = new WorkerProtocol.DataFetched(
        1, "p", List.of(new WorkerProtocol.DataItem(5, Values.toJson(new byte[] {1, 2, 3}), 3)), List.of(6L));
    WorkerProtocol.DataFetched received = testKit.serializationTestKit().verifySerialization(sent, false);
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) Values.toJava(received.items().get(0).value()));
    assertEquals(List.of(6L), received.missing());
  }

  @Test
  void anInputHeldByAPeerIsFetchedAndKeptAsAReplica() {
    TestingTasks.Registered a = spawn("a");
    TestingTasks.Registered b = spawn("b");
    holdOn(b, 10, "x", 41);

    a.assign(task(11, "y", "add", List.of(ref("x"), num(1)), List.of(input(10, "x", 8, b.data()))));
    TaskReport r = report(a.scheduler());
    assertEquals(TaskReport.Outcome.OK, r.outcome(), r.toString());
    assertEquals(1, r.transfers().size());
    Transfer t = r.transfers().get(0);
    assertEquals(10, t.taskId());
    assertEquals("x", t.key());
    assertEquals(b.registration().info().name(), t.peer());
    assertEquals(8, t.bytes());
    assertTrue(t.startMicros() <= t.stopMicros());
    assertTrue(t.stopMicros() <= r.startMicros(), "fetched before it ran");
    assertEquals(43, fetch(testKit, a.data(), 11L).items().get(0).value().longValue());

    WorkerProtocol.WorkerStatus sa = status(testKit, a.worker());
    assertTrue(sa.heldTaskIds().containsAll(List.of(10L, 11L)), sa.toString());
    assertEquals(1, sa.figures().transfers().in());
    assertEquals(8, sa.figures().transfers().bytesIn());
    WorkerProtocol.WorkerStatus sb = status(testKit, b.worker());
    assertEquals(1, sb.figures().transfers().out());
    assertEquals(8, sb.figures().transfers().bytesOut());

    // Now that A holds a replica, a second task uses it without fetching.
    a.assign(task(12, "z", "inc", List.of(ref("x")), List.of(input(10, "x", 8, b.data()))));
    TaskReport again = report(a.scheduler());
    assertEquals(TaskReport.Outcome.OK, again.outcome());
    assertEquals(List.of(), again.transfers());
  }

  @Test
  void aWorkerAskedForReplicasFetchesThemKeepsThemAndSaysWhichItGot() {
    TestingTasks.Registered a = spawn("a");
    TestingTasks.Registered b = spawn("b");
    holdOn(b, 30, "x", 41);
    holdOn(a, 31, "w", 1);

    // 30 is on B, 31 is on A already, 32 is nowhere
    a.worker().tell(new WorkerProtocol.FetchReplicas(List.of(
        input(30, "x", 8, b.data()), input(31, "w", 8, b.data()), input(32, "gone", 8, b.data()))));
    List<org.tasklane.protocol.SchedulerProtocol.ReplicasFetched> answers = new java.util.ArrayList<>();
    java.util.Set<Long> stored = new java.util.TreeSet<>();
    java.util.Set<Long> failed = new java.util.TreeSet<>();
    while (stored.size() + failed.size() < 3) {
      var m = a.scheduler().expectMessageClass(org.tasklane.protocol.SchedulerProtocol.ReplicasFetched.class, TIMEOUT);
      assertEquals(a.worker(), m.worker());
      answers.add(m);
      stored.addAll(m.stored());
      failed.addAll(m.failed());
    }
    assertEquals(java.util.Set.of(30L, 31L), stored);
    assertEquals(java.util.Set.of(32L), failed);
    assertEquals(42, fetch(testKit, a.data(), 30L).items().get(0).value().longValue());
    WorkerProtocol.WorkerStatus sa = status(testKit, a.worker());
    assertTrue(sa.heldTaskIds().containsAll(List.of(30L, 31L)), sa.toString());
    assertEquals(1, sa.figures().transfers().in());
  }

  @Test
  void bytesTravelToo() {
    TestingTasks.Registered a = spawn("a");
    TestingTasks.Registered b = spawn("b");
    b.assign(task(20, "data", "bytes", num(100_000)));
    assertEquals(100_000, report(b.scheduler()).nbytes());
    a.assign(task(21, "n", "len", List.of(ref("data")), List.of(input(20, "data", 100_000, b.data()))));
    TaskReport r = report(a.scheduler());
    assertEquals(TaskReport.Outcome.OK, r.outcome(), r.toString());
    assertEquals(100_000, r.transfers().get(0).bytes());
    assertEquals(100_000, fetch(testKit, a.data(), 21L).items().get(0).value().longValue());
  }

  @Test
  void anInputNoHolderHasIsMissingData() {
    TestingTasks.Registered a = spawn("a");
    TestingTasks.Registered b = spawn("b");
    a.assign(task(31, "m", "inc", List.of(ref("gone")), List.of(input(999, "gone", 8, b.data()))));
    TaskReport r = report(a.scheduler());
    assertEquals(TaskReport.Outcome.MISSING_DATA, r.outcome());
    assertEquals(List.of(999L), r.missing());
    assertTrue(r.error().contains("gone (id 999)"), r.error());
    WorkerProtocol.WorkerStatus s = status(testKit, a.worker());
    assertEquals(0, s.figures().tasks().completed(), "it did not run");
    assertEquals(0, s.figures().tasks().heldResults());
  }

  @Test
  void inputsOnOnePeerAreAskedForTogetherAndTheNextHolderIsTriedWhenOneHasNot() {
    TestingTasks.Registered a = spawn("a");
    TestingTasks.Registered b = spawn("b");
    holdOn(b, 40, "p", 1);
    holdOn(b, 41, "q", 2);
    TestProbe<WorkerProtocol.DataCommand> stale = testKit.createTestProbe();

    a.assign(task(42, "s", "sum", List.of(ref("p"), ref("q")),
        List.of(input(40, "p", 8, stale.ref(), b.data()), input(41, "q", 8, stale.ref(), b.data()))));
    WorkerProtocol.FetchData asked = stale.expectMessageClass(WorkerProtocol.FetchData.class, TIMEOUT);
    assertEquals(List.of(40L, 41L), asked.taskIds());
    assertEquals(a.data().path(), asked.replyTo().path(), "answers go to the asking worker's data endpoint");
    assertEquals(1, status(testKit, a.worker()).figures().tasks().queued(), "a task fetching inputs counts as queued");

    asked.replyTo().tell(new WorkerProtocol.DataFetched(asked.requestId(), "stale", List.of(), List.of(40L, 41L)));
    TaskReport r = report(a.scheduler());
    assertEquals(TaskReport.Outcome.OK, r.outcome(), r.toString());
    assertEquals(2, r.transfers().size());
    for (Transfer t : r.transfers()) {
      assertEquals(b.registration().info().name(), t.peer());
    }
    assertEquals(5, fetch(testKit, a.data(), 42L).items().get(0).value().longValue());
    stale.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aHolderThatDoesNotAnswerInTimeIsSkipped() {
    TestingTasks.Registered a = spawn("a", Duration.ofMillis(300));
    TestingTasks.Registered b = spawn("b");
    holdOn(b, 50, "v", 9);
    TestProbe<WorkerProtocol.DataCommand> silent = testKit.createTestProbe();

    a.assign(task(51, "w", "inc", List.of(ref("v")), List.of(input(50, "v", 8, silent.ref(), b.data()))));
    silent.expectMessageClass(WorkerProtocol.FetchData.class, TIMEOUT);
    TaskReport r = report(a.scheduler());
    assertEquals(TaskReport.Outcome.OK, r.outcome(), r.toString());
    assertEquals(b.registration().info().name(), r.transfers().get(0).peer());
    assertEquals(11, fetch(testKit, a.data(), 51L).items().get(0).value().longValue());
  }

  @Test
  void whenTheOnlyHolderNeverAnswersTheTaskIsMissingData() {
    TestingTasks.Registered a = spawn("a", Duration.ofMillis(300));
    TestProbe<WorkerProtocol.DataCommand> silent = testKit.createTestProbe();
    a.assign(task(61, "w", "inc", List.of(ref("v")), List.of(input(60, "v", 8, silent.ref()))));
    silent.expectMessageClass(WorkerProtocol.FetchData.class, TIMEOUT);
    TaskReport r = report(a.scheduler());
    assertEquals(TaskReport.Outcome.MISSING_DATA, r.outcome());
    assertEquals(List.of(60L), r.missing());
  }

  @Test
  void manyTasksSharingAFetchedInputAllRun() {
    TestingTasks.Registered a = spawn("a");
    TestingTasks.Registered b = spawn("b");
    holdOn(b, 70, "base", 0);
    List<org.tasklane.protocol.TaskAssignment> tasks = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tasks.add(task(100 + i, "dep-" + i, "add", List.of(ref("base"), num(i)), List.of(input(70, "base", 8, b.data()))));
    }
    a.worker().tell(new WorkerProtocol.AssignTasks(tasks));
    List<TaskReport> rs = reports(a.scheduler(), 50);
    int transfers = 0;
    for (TaskReport r : rs) {
      assertEquals(TaskReport.Outcome.OK, r.outcome(), r.toString());
      transfers += r.transfers().size();
    }
    assertEquals(1, transfers, "the shared input moved once");
    assertEquals(1, status(testKit, b.worker()).figures().transfers().out());
    assertFalse(status(testKit, a.worker()).heldTaskIds().isEmpty());
  }
}
