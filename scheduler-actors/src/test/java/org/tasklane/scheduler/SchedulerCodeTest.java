package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.CodeProtocol;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.WorkerInfo;
import org.tasklane.protocol.WorkerProtocol;
import org.tasklane.scheduler.code.CodeSettings;
import org.tasklane.scheduler.code.CodeStore;
import org.tasklane.scheduler.code.GraphCode;
import org.tasklane.scheduler.code.TestZips;

/**
 * The scheduler and code: workers learn the code server, a graph's tasks carry its jars, the graph
 * holds them until it is forgotten, and the traces of tasks that threw reach the results.
 */
class SchedulerCodeTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseResources("application-test.conf").withFallback(ConfigFactory.load()).resolve());
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  static final String FN = "java:demo.Greeter::hello(Ljava/lang/String;)Ljava/lang/String;";

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static CodeStore store() throws Exception {
    Path dir = Files.createTempDirectory("tasklane-scheduler-code-test-");
    return CodeStore.open(dir, true, new CodeSettings(true, dir.toString(), 1 << 20, 1 << 20, Duration.ofMinutes(10)),
        System::nanoTime);
  }

  static TaskSpec call(String key, JsonNode... refs) {
    List<JsonNode> args = new java.util.ArrayList<>();
    args.add(JSON.objectNode().put("call", 1).set("params", JSON.arrayNode()));
    args.addAll(List.of(refs));
    return new TaskSpec(key, FN, args, null);
  }

  static TaskReport report(long id, TaskReport.Outcome outcome, String error, String trace) {
    long now = System.currentTimeMillis() * 1000;
    return new TaskReport(id, outcome, outcome == TaskReport.Outcome.OK ? 8 : 0, now, now + 10, "exec-0", List.of(),
        error, List.of(), trace);
  }

  static <T> T ask(ActorRef<SchedulerProtocol.Command> scheduler,
      java.util.function.Function<ActorRef<T>, SchedulerProtocol.Command> msg, Class<T> reply) {
    TestProbe<T> probe = testKit.createTestProbe();
    scheduler.tell(msg.apply(probe.ref()));
    return probe.expectMessageClass(reply, TIMEOUT);
  }

  @Test
  void tasksCarryTheirGraphsJarsAndTheTracesOfTasksThatThrewReachTheResults() throws Exception {
    CodeStore store = store();
    byte[] jar = TestZips.jar(1, 500);
    String sha = TestZips.sha(jar);
    store.put(sha, jar);
    TestProbe<CodeProtocol.Command> codeServer = testKit.createTestProbe();
    ActorRef<SchedulerProtocol.Command> scheduler = testKit.spawn(
        Scheduler.create(SchedulerSettings.fromConfig(testKit.system().settings().config()),
            new GraphCode(store, codeServer.ref())), "scheduler-code");

    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    TestProbe<WorkerProtocol.DataCommand> data = testKit.createTestProbe();
    testKit.system().receptionist().tell(Receptionist.register(WorkerProtocol.SERVICE_KEY, worker.ref()));
    WorkerProtocol.RegisterWith hello = worker.expectMessageClass(WorkerProtocol.RegisterWith.class, TIMEOUT);
    assertEquals(codeServer.ref(), hello.code(), "the worker learns where jars come from");
    scheduler.tell(new SchedulerProtocol.RegisterWorker(worker.ref(), data.ref(),
        new WorkerInfo("w1", "127.0.0.1", "127.0.0.1:1", 4, List.of("inc"), 1)));

    GraphSpec graph = new GraphSpec("g", List.of(
        call("a"),
        new TaskSpec("b", "inc", List.of(JSON.objectNode().put("ref", "a")), null),
        call("c")), List.of("b", "c"), List.of(sha));
    SchedulerProtocol.SubmitReply reply = ask(scheduler, r -> new SchedulerProtocol.SubmitGraph("g1", graph, r),
        SchedulerProtocol.SubmitReply.class);
    assertTrue(reply.accepted(), reply.error());
    assertEquals(1, store.holders(sha));

    List<TaskAssignment> assigned = new java.util.ArrayList<>();
    while (assigned.size() < 2) {
      assigned.addAll(fish(worker, WorkerProtocol.AssignTasks.class).tasks());
    }
    Map<String, TaskAssignment> byKey = new java.util.HashMap<>();
    assigned.forEach(t -> byKey.put(t.key(), t));
    assertEquals(List.of(sha), byKey.get("a").code());
    assertEquals(List.of(sha), byKey.get("c").code());

    String trace = "java.lang.IllegalStateException: no\n\tat demo.Greeter.hello(Greeter.java:3)\n"
        + "x".repeat(20_000);
    scheduler.tell(new SchedulerProtocol.TasksFinished(worker.ref(), List.of(
        report(byKey.get("a").taskId(), TaskReport.Outcome.ERRED, "IllegalStateException: no", trace),
        report(byKey.get("c").taskId(), TaskReport.Outcome.OK, null, null))));
    SchedulerProtocol.StatusReply done = ask(scheduler,
        r -> new SchedulerProtocol.GetGraphStatus("g1", Duration.ofSeconds(5), r), SchedulerProtocol.StatusReply.class);
    assertEquals("done", done.status().state());

    SchedulerProtocol.ResultLocations results = ask(scheduler,
        r -> new SchedulerProtocol.GetResultLocations("g1", r), SchedulerProtocol.ResultLocations.class);
    assertEquals(Map.of("b", "dependency a failed"), results.errors());
    assertEquals(List.of("a"), List.copyOf(results.traces().keySet()), "the task that threw, not its dependent");
    assertEquals(trace.substring(0, TaskReport.MAX_TRACE_CHARS), results.traces().get("a"));

    ask(scheduler, r -> new SchedulerProtocol.ForgetGraph("g1", r), SchedulerProtocol.ForgetReply.class);
    assertEquals(0, store.holders(sha), "a forgotten graph lets go of its jars");

    String unknown = "cd".repeat(32);
    SchedulerProtocol.SubmitReply refused = ask(scheduler, r -> new SchedulerProtocol.SubmitGraph("g2",
        new GraphSpec("g", List.of(call("a")), null, List.of(unknown)), r), SchedulerProtocol.SubmitReply.class);
    assertEquals(GraphCode.missingJar(unknown), refused.error());
    assertFalse(refused.retryLater());
    testKit.stop(scheduler);
    store.close();
  }

  @Test
  void aGraphTheSchedulerHasNoRoomForHoldsNoJars() throws Exception {
    CodeStore store = store();
    byte[] jar = TestZips.jar(2, 500);
    String sha = TestZips.sha(jar);
    store.put(sha, jar);
    SchedulerSettings one = SchedulerSettings.fromConfig(testKit.system().settings().config());
    SchedulerSettings settings = new SchedulerSettings(one.policy(), one.graphRetention(), one.maxRetainedGraphs(), 1,
        one.maxTasks(), one.apiAddress(), one.apiPort(), one.maxGraphBytes(), one.askTimeout(),
        one.dashboardFeedMaxPendingTasks());
    ActorRef<SchedulerProtocol.Command> scheduler =
        testKit.spawn(Scheduler.create(settings, new GraphCode(store, null)), "scheduler-full");
    GraphSpec graph = new GraphSpec("g", List.of(call("a")), null, List.of(sha));
    assertTrue(ask(scheduler, r -> new SchedulerProtocol.SubmitGraph("g1", graph, r),
        SchedulerProtocol.SubmitReply.class).accepted()); // no worker: it keeps running
    SchedulerProtocol.SubmitReply full = ask(scheduler, r -> new SchedulerProtocol.SubmitGraph("g2", graph, r),
        SchedulerProtocol.SubmitReply.class);
    assertTrue(full.retryLater(), full.toString());
    assertEquals(1, store.holders(sha), "only the admitted graph holds it");
    testKit.stop(scheduler);
    store.close();
  }

  /** The next message of this class to the worker, past pings and other chatter. */
  static <T extends WorkerProtocol.Command> T fish(TestProbe<WorkerProtocol.Command> probe, Class<T> type) {
    List<WorkerProtocol.Command> got = probe.fishForMessage(TIMEOUT, m -> type.isInstance(m)
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    return type.cast(got.get(got.size() - 1));
  }
}
