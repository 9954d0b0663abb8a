package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.worker.TestingTasks.TIMEOUT;
import static org.tasklane.worker.TestingTasks.num;
import static org.tasklane.worker.TestingTasks.report;
import static org.tasklane.worker.TestingTasks.spawnRegistered;
import static org.tasklane.worker.TestingTasks.task;
import static org.tasklane.worker.TestingTasks.text;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.WorkerProtocol;

/** A worker up close: its running tasks, its log lines and its thread dumps, asked as a dashboard does (through CBOR). */
class WorkerInspectTest {
  static final Config config = ConfigFactory.load("application-test");
  static final ActorTestKit testKit = ActorTestKit.create(config);
  static final ActorTestKit noLogsKit = ActorTestKit.create(
      ConfigFactory.parseString("tasklane.worker.inspect.logs = off").withFallback(config));
  static final FunctionRegistry registry = FunctionRegistry.load();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    noLogsKit.shutdownTestKit();
  }

  private static TestingTasks.Registered spawn(ActorTestKit kit, String name) {
    return spawnRegistered(kit, WorkerSettings.fromConfig(config).withIdentity(name, "127.0.0.1", "127.0.0.1:0"),
        registry, ExecutorFactory.fixedThreadPool());
  }

  @Test
  void answersWithTheLinesItsTasksLogged() {
    TestingTasks.Registered w = spawn(testKit, "logs-1");
    w.assign(task(1, "say-1", "logwarn", text("<b>hello</b> from a task")));
    assertEquals(TaskReport.Outcome.OK, report(w.scheduler()).outcome());
    TestProbe<WorkerProtocol.LogsReply> probe = testKit.createTestProbe();
    w.worker().tell(new WorkerProtocol.GetLogs(0, 1000, probe.ref()));
    WorkerProtocol.Logs logs = assertInstanceOf(WorkerProtocol.Logs.class, probe.receiveMessage(TIMEOUT));
    assertEquals("logs-1", logs.worker());
    WorkerProtocol.LogLine line = logs.lines().stream()
        .filter(l -> l.message().equals("task says: <b>hello</b> from a task")).findFirst().orElseThrow(
            () -> new AssertionError("no such line in " + logs.lines()));
    assertEquals("WARN", line.level());
    assertEquals("say-1", line.task());
    assertEquals(TestingLogWarn.class.getName(), line.logger());
    assertTrue(line.thread().startsWith("exec-"), line.thread());

    w.worker().tell(new WorkerProtocol.GetLogs(0, 1, probe.ref()));
    assertEquals(1, assertInstanceOf(WorkerProtocol.Logs.class, probe.receiveMessage(TIMEOUT)).lines().size());
    // only what came after a line the page has
    w.worker().tell(new WorkerProtocol.GetLogs(line.seq(), 1000, probe.ref()));
    WorkerProtocol.Logs after = assertInstanceOf(WorkerProtocol.Logs.class, probe.receiveMessage(TIMEOUT));
    assertTrue(after.lines().stream().allMatch(l -> l.seq() > line.seq()), after.toString());
    assertTrue(after.lastSeq() >= line.seq());
    // a seq beyond its last line was another run's: it answers from the start
    w.worker().tell(new WorkerProtocol.GetLogs(after.lastSeq() + 1_000_000, 1000, probe.ref()));
    assertTrue(assertInstanceOf(WorkerProtocol.Logs.class, probe.receiveMessage(TIMEOUT)).lines().contains(line));
  }

  @Test
  void dumpsItsTaskThreadsOnceAndRefusesASecondDumpWithinTheLimit() {
    TestingTasks.Registered w = spawn(testKit, "dump-1");
    w.assign(task(1, "nap-1", "sleep", num(30)));
    TestProbe<WorkerProtocol.RunningTasks> running = testKit.createTestProbe();
    running.awaitAssert(TIMEOUT, () -> {
      w.worker().tell(new WorkerProtocol.GetRunningTasks(running.ref()));
      WorkerProtocol.RunningTasks r = running.receiveMessage(TIMEOUT);
      assertEquals(List.of("nap-1"), r.tasks().stream().map(WorkerProtocol.RunningTask::key).toList());
      assertEquals(1, r.tasks().get(0).taskId());
      assertTrue(r.tasks().get(0).startMicros() > 0);
      return null;
    });

    TestProbe<WorkerProtocol.ThreadDumpReply> probe = testKit.createTestProbe();
    w.worker().tell(new WorkerProtocol.GetThreadDump(probe.ref()));
    WorkerProtocol.ThreadDump dump = assertInstanceOf(WorkerProtocol.ThreadDump.class, probe.receiveMessage(TIMEOUT));
    assertEquals(2, dump.threads().size(), "one per task thread: " + dump.threads());
    WorkerProtocol.ThreadStack busy = dump.threads().get(0);
    assertEquals("nap-1", busy.task());
    assertTrue(busy.frames().stream().anyMatch(f -> f.contains("org.tasklane.worker.builtin.Sleep.call")),
        busy.frames().toString());
    assertEquals(null, dump.threads().get(1).task());

    w.worker().tell(new WorkerProtocol.GetThreadDump(probe.ref()));
    WorkerProtocol.Refused refused = assertInstanceOf(WorkerProtocol.Refused.class, probe.receiveMessage(TIMEOUT));
    assertTrue(refused.retryAfterMillis() > 0 && refused.retryAfterMillis() <= 5000, refused.toString());
    assertTrue(refused.reason().matches("worker dump-1 takes one thread dump per 5 s; try again in \\d\\.\\d s"),
        refused.reason());
    testKit.stop(w.worker()); // its sleeping task ends with it (the threads are interrupted)
  }

  @Test
  void keepsAndSendsNoLinesWhenLogsAreOff() {
    TestingTasks.Registered w = spawn(noLogsKit, "quiet-1");
    TestProbe<WorkerProtocol.LogsReply> probe = noLogsKit.createTestProbe();
    w.worker().tell(new WorkerProtocol.GetLogs(0, 1000, probe.ref()));
    WorkerProtocol.Refused refused = assertInstanceOf(WorkerProtocol.Refused.class, probe.receiveMessage(TIMEOUT));
    assertEquals("worker quiet-1 keeps no log lines (tasklane.worker.inspect.logs = off)", refused.reason());
    assertEquals(0, refused.retryAfterMillis());
  }
}
