package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.tasklane.worker.TestingTasks.fetch;
import static org.tasklane.worker.TestingTasks.num;
import static org.tasklane.worker.TestingTasks.report;
import static org.tasklane.worker.TestingTasks.reports;
import static org.tasklane.worker.TestingTasks.spawnRegistered;
import static org.tasklane.worker.TestingTasks.status;
import static org.tasklane.worker.TestingTasks.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskArgs;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskKeys;
import org.tasklane.protocol.TaskReport;
import org.tasklane.worker.builtin.Inc;
import org.tasklane.worker.builtin.Sleep;

/** Tasks with a timeout, on a worker of one thread: the watchdog interrupts them and reports them timed out. */
class WorkerTimeoutTest {
  static final Config config = ConfigFactory.parseString("tasklane.worker.nthreads = 1")
      .withFallback(ConfigFactory.load("application-test"));
  static final ActorTestKit testKit = ActorTestKit.create(config);
  static final FunctionRegistry registry = FunctionRegistry.of(List.of(new Sleep(), new Inc(), new TestingStubborn()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static TestingTasks.Registered spawn(String name) {
    WorkerSettings settings = WorkerSettings.fromConfig(config).withIdentity(name, "127.0.0.1", "127.0.0.1:0");
    return spawnRegistered(testKit, settings, registry, ExecutorFactory.fixedThreadPool());
  }

  static TaskAssignment timed(long id, String key, String fn, long timeoutMillis, JsonNode... args) {
    return new TaskAssignment(id, key, TaskKeys.group(key), fn, TaskArgs.of(List.of(args)), List.of(), List.of(), timeoutMillis);
  }

  @Test
  void aSleepPastItsTimeoutErrsAsTimedOutAndTheLaneRunsTheNextTask() {
    TestingTasks.Registered w = spawn("timeout-sleep");
    w.assign(timed(1, "nap", "sleep", 1000, num(30), num(7)), TestingTasks.task(2, "inc-2", "inc", num(41)));

    // in task order: the watchdog reports nap while the lane may already have finished inc (a race
    // between two threads, and the scheduler takes reports in any order)
    List<TaskReport> both = byTask(reports(w.scheduler(), 2));
    TaskReport nap = both.get(0);
    assertEquals(1, nap.taskId());
    assertEquals(TaskReport.Outcome.ERRED, nap.outcome());
    assertEquals("timed out after 1s", nap.error(), "not the InterruptedException sleep threw");
    assertEquals(0, nap.nbytes());

    // sleep gave its thread back when interrupted: the same lane, the same thread, runs inc
    TaskReport inc = both.get(1);
    assertEquals(2, inc.taskId());
    assertEquals(TaskReport.Outcome.OK, inc.outcome());
    assertEquals(nap.thread(), inc.thread());
    assertEquals(List.of(2L), status(testKit, w.worker()).heldTaskIds(), "nothing held for the timed-out task");
    assertEquals(42, fetch(testKit, w.data(), 2L).items().get(0).value().longValue());
  }

  @Test
  void aTaskThatEndsInTimeIsNotTouched() {
    TestingTasks.Registered w = spawn("timeout-in-time");
    w.assign(timed(1, "quick", "inc", 60_000, num(1)));
    TaskReport r = report(w.scheduler());
    assertEquals(TaskReport.Outcome.OK, r.outcome(), r.toString());
    // the lane is not interrupted later: the next task, with no timeout, runs to its end
    w.assign(timed(2, "nap", "sleep", 0, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(0.2), num(1)));
    assertEquals(TaskReport.Outcome.OK, report(w.scheduler()).outcome());
  }

  @Test
  void aFunctionThatIgnoresTheInterruptIsReportedAtOnceAndItsLaneGoesOnWithAnotherThread() {
    TestingTasks.Registered w = spawn("timeout-stubborn");
    w.assign(timed(1, "mule", "stubborn", 200, text("mule")), TestingTasks.task(2, "inc-2", "inc", num(1)));

    List<TaskReport> both = byTask(reports(w.scheduler(), 2));
    TaskReport mule = both.get(0);
    assertEquals(1, mule.taskId());
    assertEquals("timed out after 200ms", mule.error());
    // the one lane's thread is still in stubborn: the next task runs on the lane's new thread
    TaskReport inc = both.get(1);
    assertEquals(TaskReport.Outcome.OK, inc.outcome(), inc.toString());
    assertNotEquals(mule.thread(), inc.thread());

    // the stuck function returns at last: what it returns is dropped, and its thread ends
    TestingStubborn.release("mule");
    w.scheduler().expectNoMessage(Duration.ofMillis(300));
    w.assign(TestingTasks.task(3, "inc-3", "inc", num(2)));
    TaskReport after = report(w.scheduler());
    assertEquals(inc.thread(), after.thread(), "one lane, on its new thread");
    assertEquals(List.of(2L, 3L), status(testKit, w.worker()).heldTaskIds().stream().sorted().toList(),
        "nothing held for the timed-out task, not even what it returned late");
  }

  private static List<TaskReport> byTask(List<TaskReport> reports) {
    return reports.stream().sorted(java.util.Comparator.comparingLong(TaskReport::taskId)).toList();
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    assertEquals("1s", Watchdog.readable(1000));
    assertEquals("1.5s", Watchdog.readable(1500));
    assertEquals("2m", Watchdog.readable(120_000));
    assertEquals("1m30s", Watchdog.readable(90_000));
    assertEquals("250ms", Watchdog.readable(250));
    assertEquals("59.999s", Watchdog.readable(59_999));
    assertEquals("1h", Watchdog.readable(3_600_000));
    assertEquals("2h30m0.5s", Watchdog.readable(9_000_500));
  }
}
