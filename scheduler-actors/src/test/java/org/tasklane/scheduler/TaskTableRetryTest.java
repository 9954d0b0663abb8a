package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.WorkerInfo;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GroupProgress;

/**
 * A task's function that throws is run again while it has retries left (each failed attempt is in
 * the task stream), and a task whose workers keep dying under it errs after
 * {@code allowed-failures} deaths instead of killing the next worker.
 */
class TaskTableRetryTest {

  /** {@code t} with {@code retries} retries. */
  static TaskSpec retrying(TaskSpec t, int retries) {
    return new TaskSpec(t.key(), t.fn(), t.args(), t.group(), retries, null);
  }

  /** A table whose task stream is collected by a {@link DashboardFeed}. */
  private static final class Observed {
    final TaskTableDriver d = new TaskTableDriver();
    final DashboardFeed feed = new DashboardFeed("inc-1",
        name -> new WorkerInfo(name, "host", "host:1", 1, FUNCTIONS, 1), name -> 0.0, 200_000);
    final List<DashboardProtocol.TaskEvent> stream = new ArrayList<>();

    Observed() {
      d.table.observe(feed);
    }

    /** The task records published since the last call. */
    List<DashboardProtocol.TaskEvent> published() {
      List<DashboardProtocol.TaskEvent> tasks = new ArrayList<>();
      feed.nextBatches(d.table).forEach(b -> tasks.addAll(b.tasks()));
      stream.addAll(tasks);
      return tasks;
    }
  }

  private static void assertEvent(DashboardProtocol.TaskEvent e, String key, String worker, String status, String error) {
    assertEquals(List.of(key, worker, status, String.valueOf(error)),
        List.of(e.key(), e.worker(), e.status(), String.valueOf(e.error())));
  }

  @Test
  void failsTwiceThenSucceedsWithTwoRetries() {
    var o = new Observed();
    var d = o.d;
    d.addWorker("w1", 1);
    var out = d.submit(graph(retrying(root("a"), 2), task("b", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a")), out);

    // each failure puts a back to be assigned; the only worker with a free slot takes it again
    assertEquals(List.of(d.assign("w1", "a")), d.fail("w1", "a", "IOException: flaky 1"));
    assertEquals(1, d.t("a").failedAttempts());
    assertEvent(o.published().get(0), "a", "w1", "erred", "attempt 1 of 3 failed, retrying: IOException: flaky 1");
    GraphStatus mid = d.status();
    assertEquals(0, mid.erred(), "a failed attempt is not an erred task");
    assertEquals("running", mid.state());
    assertEquals(List.of(new GroupProgress("a", 1, 0, 0, 0, 1, 0), new GroupProgress("b", 1, 0, 0, 0, 0, 1)),
        mid.groups());

    assertEquals(List.of(d.assign("w1", "a")), d.fail("w1", "a", "IOException: flaky 2"));
    assertEvent(o.published().get(0), "a", "w1", "erred", "attempt 2 of 3 failed, retrying: IOException: flaky 2");

    assertEquals(List.of(d.assign("w1", "b")), d.ok("w1", "a", 8));
    assertEquals(List.of(d.finished(), d.release("w1", "a")), d.ok("w1", "b", 8));
    d.assertStates("a:released b:memory");
    GraphStatus s = d.status();
    assertEquals("done", s.state());
    assertEquals(List.of(2, 0, 2), List.of(s.tasks(), s.erred(), s.done()), "each task counted once");
    assertEquals(0, s.recomputed(), "a retry is not a recomputation");
    assertEquals(Map.of(), s.errors());
    assertEquals(3, d.t("a").runs());
    List<DashboardProtocol.TaskEvent> rest = o.published();
    assertEquals(List.of("a", "b"), rest.stream().map(DashboardProtocol.TaskEvent::key).toList());
    assertEvent(rest.get(0), "a", "w1", "memory", "null");
    assertEquals(4, o.stream.size(), "two failed attempts, then a and b");
  }

  @Test
  void failsThreeTimesWithTwoRetriesAndErrsWithTheLastErrorAndItsDependentsToo() {
    var o = new Observed();
    var d = o.d;
    d.addWorker("w1", 1);
    var out = d.submit(graph(retrying(root("a"), 2), task("b", "inc", "a"), task("c", "inc", "b")));
    assertEquals(List.of(d.assign("w1", "a")), out);
    assertEquals(List.of(d.assign("w1", "a")), d.fail("w1", "a", "E: one"));
    assertEquals(List.of(d.assign("w1", "a")), d.fail("w1", "a", "E: two"));
    assertEquals(List.of(d.finished()), d.fail("w1", "a", "E: three"));

    d.assertStates("a:erred b:erred c:erred");
    assertEquals("attempt 3 of 3 failed: E: three", d.t("a").error());
    assertEquals("dependency a failed", d.t("b").error());
    assertEquals("dependency b failed", d.t("c").error());
    GraphStatus s = d.status();
    assertEquals(List.of(3, 3, 0), List.of(s.tasks(), s.erred(), s.done()), "a counted once");
    assertEquals(Map.of("a", "attempt 3 of 3 failed: E: three", "b", "dependency a failed", "c", "dependency b failed"),
        s.errors());
    List<DashboardProtocol.TaskEvent> stream = o.published();
    assertEquals(3, stream.size(), "every attempt of a, nothing of b and c (they never ran)");
    assertEvent(stream.get(0), "a", "w1", "erred", "attempt 1 of 3 failed, retrying: E: one");
    assertEvent(stream.get(1), "a", "w1", "erred", "attempt 2 of 3 failed, retrying: E: two");
    assertEvent(stream.get(2), "a", "w1", "erred", "attempt 3 of 3 failed: E: three");
  }

  @Test
  void withoutRetriesTheErrorIsTheWorkersOwn() {
    var o = new Observed();
    var d = o.d;
    d.addWorker("w1", 1);
    d.submit(graph(root("a")));
    assertEquals(List.of(d.finished()), d.fail("w1", "a", "ValueError: no"));
    assertEquals("ValueError: no", d.t("a").error());
    assertEvent(o.published().get(0), "a", "w1", "erred", "ValueError: no");
  }

  @Test
  void aRetryGoesToTheBackOfTheQueueThroughWaiting() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1); // 2 slots
    var out = d.submit(graph(retrying(root("a"), 1), root("r1"), root("r2"), root("r3")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w1", "r1")), out);
    d.assertStates("a:processing r2:queued r3:queued");

    // a's slot goes to r2, which was ready first; a waits its turn, on any worker
    assertEquals(List.of(d.assign("w1", "r2")), d.fail("w1", "a", "E: once"));
    d.assertStates("a:queued r2:processing r3:queued");
    assertEquals(List.of(d.assign("w2", "r3"), d.assign("w2", "a")), d.addWorker("w2", 1));
    assertEquals(List.of(), d.ok("w1", "r1", 8));
    assertEquals(List.of(), d.ok("w1", "r2", 8));
    assertEquals(List.of(), d.ok("w2", "r3", 8));
    assertEquals(List.of(d.finished()), d.ok("w2", "a", 8));
    assertEquals(List.of(0, 4), List.of(d.status().erred(), d.status().done()));
  }

  // ------------------------------------------------------------------ poison tasks

  @Test
  void aTaskWhoseWorkersDieThreeTimesErrsAndTheClusterGoesOn() {
    var d = new TaskTableDriver();
    for (String w : List.of("w1", "w2", "w3", "w4")) {
      d.addWorker(w, 1);
    }
    var out = d.submit(graph(root("a"), task("b", "inc", "a"), task("c", "inc", "b")));
    assertEquals(List.of(d.assign("w1", "a")), out);

    assertEquals(List.of(d.assign("w2", "a")), d.removeWorker("w1"));
    assertEquals(1, d.t("a").deaths());
    assertEquals(List.of(d.assign("w3", "a")), d.removeWorker("w2"));
    assertEquals(2, d.t("a").deaths());
    d.assertStates("a:processing b:waiting c:waiting");

    assertEquals(List.of(d.finished()), d.removeWorker("w3"));
    d.assertStates("a:erred b:erred c:erred");
    assertEquals("worker died while running a 3 times (last: w3)", d.t("a").error());
    assertEquals("dependency a failed", d.t("b").error());
    assertEquals("dependency b failed", d.t("c").error());
    assertEquals(3, d.status().erred());
    assertEquals(0, d.t("a").runs(), "it never reported");

    // the last worker goes on with other graphs
    var next = d.submit("g2", graph(root("x")));
    assertEquals(List.of(new Instruction.Assign("w4", d.t("g2", "x"))), next);
  }

  @Test
  void aTaskIsRescheduledUntilItsDeathsReachAllowedFailures() {
    var d = new TaskTableDriver(new TablePolicy(20_000, 256, 1));
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    d.submit(graph(root("a"), root("b")));
    d.assertStates("a:processing b:processing");
    assertEquals("w1", d.t("a").processingOn.name);

    // allowed-failures = 1: the first death errs what the dead worker had; the rest is untouched
    assertEquals(List.of(), d.removeWorker("w1"));
    d.assertStates("a:erred b:processing");
    assertEquals("worker died while running a 1 times (last: w1)", d.t("a").error());
    assertEquals(List.of(d.finished()), d.ok("w2", "b", 8));
  }

  @Test
  void onlyTheTasksAWorkerMayHaveBeenRunningCountItsDeath() {
    var d = new TaskTableDriver(new TablePolicy(20_000, 256, 1));
    d.addWorker("w1", 1);
    d.submit(graph(root("a"), root("b"), root("c")));
    d.assertStates("a:processing b:processing c:queued"); // b is on w1 too, behind a
    d.addWorker("w2", 1);

    // one thread: only a, the oldest, can have been running when w1 died; b was queued behind it
    d.removeWorker("w1");
    assertEquals("erred", d.t("a").state().name().toLowerCase(java.util.Locale.ROOT));
    assertEquals(List.of(1, 0, 0), List.of(d.t("a").deaths(), d.t("b").deaths(), d.t("c").deaths()));
    assertEquals("w2", d.t("b").processingOn.name);
  }

  @Test
  void aRetiringWorkerThatLeavesWithATaskIsNotADeath() {
    var d = new TaskTableDriver(new TablePolicy(20_000, 256, 1));
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    d.submit(graph(root("a")));
    assertEquals("w1", d.t("a").processingOn.name);

    // w1 is stopped gracefully; its hand-off time runs out while a still runs, and it leaves
    assertEquals(List.of(), d.retire("w1"));
    assertEquals(List.of(new Instruction.Retired("w1", 0, 0, 0, false)), d.retireTimedOut("w1"));
    assertEquals(List.of(d.assign("w2", "a")), d.removeWorker("w1"));
    assertEquals(0, d.t("a").deaths());
    assertEquals(List.of(d.finished()), d.ok("w2", "a", 8));
  }

  @Test
  void deathsAndFailedAttemptsAreCountedApart() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    d.submit(graph(retrying(root("a"), 1)));
    assertEquals(List.of(d.assign("w2", "a")), d.removeWorker("w1"));
    assertEquals(List.of(d.assign("w2", "a")), d.fail("w2", "a", "E: once"));
    assertEquals(List.of(1, 1), List.of(d.t("a").deaths(), d.t("a").failedAttempts()));
    assertEquals(List.of(d.finished()), d.ok("w2", "a", 8));
  }
}
