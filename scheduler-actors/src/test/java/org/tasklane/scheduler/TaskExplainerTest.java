package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.Transfer;
import org.tasklane.protocol.api.TaskExplanation;

/** The explainer on tables built here: each state, and each reason a task is not running yet. */
class TaskExplainerTest {
  private final TaskTableDriver d = new TaskTableDriver();

  private TaskExplanation explain(String key) {
    return TaskExplainer.explain(d.table, d.t(key), null, null);
  }

  @Test
  void aTaskWaitingOnASlowDependencySaysWhichAndWhere() {
    d.addWorker("w1", 1);
    d.submit(graph(root("slow"), task("total", "add", "slow")));
    TaskExplanation e = explain("total");
    assertEquals("waiting", e.state());
    assertEquals("Waiting on 1 of 1 input: slow (processing).", e.summary());
    assertTrue(e.reasons().contains("input slow is processing on w1"), e.reasons().toString());
    assertEquals(1, e.inputs().size());
    TaskExplanation.Input in = e.inputs().get(0);
    assertEquals("slow", in.key());
    assertEquals("processing", in.state());
    assertEquals("w1", in.worker());
    // read only: explaining changed nothing
    d.assertStates("slow:processing total:waiting");
  }

  @Test
  void theLastReasonIsTheTasksLatestMovesFromTheTransitionLog() {
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    d.submit(graph(root("a")));
    String worker = d.t("a").processingOn.name;
    d.removeWorker(worker);
    List<String> reasons = explain("a").reasons();
    // sent back when its worker left, and at once assigned to the other one
    assertEquals("its last moves: queued -> processing (submit g1); processing -> waiting (worker " + worker
        + " left); waiting -> queued (worker " + worker + " left); queued -> processing (worker " + worker + " left)",
        reasons.get(reasons.size() - 1), reasons.toString());
  }

  @Test
  void aTaskWhoseFunctionNoWorkerHasSaysSo() {
    // a graph naming an unknown function is accepted only while no worker is registered
    TaskTableDriver fresh = new TaskTableDriver();
    fresh.submit(graph(new TaskSpec("x", "mystery", List.of(), null)));
    TaskExplanation before = TaskExplainer.explain(fresh.table, fresh.t("x"), null, null);
    assertEquals("queued", before.state());
    assertEquals("Ready, but not running: no worker is registered.", before.summary());

    fresh.addWorker("w1", 1, List.of("inc", "add"));
    TaskExplanation after = TaskExplainer.explain(fresh.table, fresh.t("x"), null, null);
    assertEquals("processing", after.state());
    assertEquals("w1", after.worker());
    assertTrue(after.reasons().contains("worker w1 does not know function 'mystery': it will report an error"),
        after.reasons().toString());
    assertTrue(after.reasons().contains("no worker knows function 'mystery'; the workers know: add, inc"),
        after.reasons().toString());
  }

  @Test
  void aQueuedTaskSaysNoWorkerHasAFreeSlot() {
    d.addWorker("w1", 1); // capacity 2 before its first report
    d.submit(graph(root("a"), root("b"), root("c")));
    d.assertStates("a:processing b:processing c:queued");
    TaskExplanation e = explain("c");
    assertEquals("Ready (every input is in memory), queued on the scheduler: no worker has a free slot.", e.summary());
    assertTrue(e.reasons().get(0).startsWith("2 tasks are assigned to the workers, whose 1 threads take at most 2"),
        e.reasons().toString());
  }

  @Test
  void aProcessingTaskSaysWhetherItRunsOrWaitsOnItsWorker() {
    d.addWorker("w1", 1);
    d.submit(graph(root("a"), root("b")));
    assertEquals("Running on w1 (one of its 1 threads' tasks).", explain("a").summary());
    assertEquals("Assigned to w1, queued there behind 1 task (its 1 thread is busy).", explain("b").summary());
  }

  @Test
  void aDoneTaskSaysWhoHoldsItAndHowItRan() {
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    d.submit(graphWanting(List.of("a", "b"), root("a"), task("b", "inc", "a")));
    d.ok("w1", "a", 100);
    TaskRecord a = d.t("a");
    Transfer moved = transfer(a, "w1", 100);
    String bWorker = d.t("b").processingOn.name;
    d.report(bWorker, List.of(ok(d.t("b").id(), 8, moved)));
    DashboardProtocol.TaskEvent run = new DashboardProtocol.TaskEvent(d.t("b").id(), "b", "b", G, bWorker, "exec-0",
        T0, T0 + TASK_MICROS, "memory", 8, null, List.of(moved), List.of(a.id()));
    TaskExplanation e = TaskExplainer.explain(d.table, d.t("b"), null, run);
    assertEquals("memory", e.state());
    assertTrue(e.summary().startsWith("Done: its result (8 bytes) is held by "), e.summary());
    assertEquals(8, e.nbytes());
    assertEquals(100, e.inputBytes());
    assertEquals(bWorker, e.lastRun().worker());
    assertEquals(1, e.lastRun().transfers());
    assertEquals(100, e.lastRun().transferBytes());
    assertEquals(0.5, e.lastRun().transferMillis());
    assertEquals(TASK_MICROS / 1000.0, e.lastRun().stopMillis() - e.lastRun().startMillis());
  }

  @Test
  void anErredTaskHasItsErrorAndTraceAndItsDependentsSayWhy() {
    d.addWorker("w1", 1);
    d.submit(graph(root("a"), task("b", "inc", "a")));
    d.fail("w1", "a", "RuntimeException: boom | at my.Code.run(Code.java:3)");
    String trace = "java.lang.RuntimeException: boom\n\tat my.Code.run(Code.java:3)\n";
    TaskExplanation e = TaskExplainer.explain(d.table, d.t("a"), trace, null);
    assertEquals("erred", e.state());
    assertEquals("Erred: RuntimeException: boom", e.summary());
    assertEquals(trace, e.trace());
    assertEquals(1, e.failedAttempts());
    assertEquals("Erred because dependency a failed.", explain("b").summary());
  }

  @Test
  void aRetriedTaskAndOneWhoseWorkerDiedSaySo() {
    d.addWorker("w1", 1);
    d.submit(graph(new TaskSpec("r", "load", List.of(), null, 2, null)));
    d.fail("w1", "r", "boom");
    TaskExplanation e = explain("r");
    assertTrue(e.reasons().contains("1 of its 3 allowed attempts failed; it is retried"), e.reasons().toString());
    d.removeWorker("w1");
    e = explain("r");
    assertEquals("Ready, but not running: no worker is registered.", e.summary());
    assertTrue(e.reasons().contains("its worker died 1 time while it was assigned (it errs at 3)"),
        e.reasons().toString());
  }

  @Test
  void inputsAreListedUpToTheLimitAndTheRestCounted() {
    List<TaskSpec> tasks = new ArrayList<>();
    String[] refs = new String[TaskExplanation.MAX_INPUTS + 7];
    for (int i = 0; i < refs.length; i++) {
      refs[i] = "in-" + i;
      tasks.add(root(refs[i]));
    }
    tasks.add(task("sum", "add", refs));
    d.submit(new GraphSpec("wide", tasks, null));
    TaskExplanation e = explain("sum");
    assertEquals(TaskExplanation.MAX_INPUTS, e.inputs().size());
    assertEquals(7, e.inputsNotListed());
    assertTrue(e.summary().startsWith("Waiting on 57 of 57 inputs: in-0 (queued), "), e.summary());
    assertTrue(e.summary().endsWith(" and 52 more."), e.summary());
    assertTrue(e.reasons().size() <= TaskExplanation.MAX_REASONS);
  }
}
