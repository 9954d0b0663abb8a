package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.scheduler.TaskTableDriver.okTook;
import static org.tasklane.scheduler.TaskTableDriver.root;
import static org.tasklane.scheduler.TaskTableDriver.task;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.TaskState;
import org.tasklane.protocol.api.TaskExplanation;

/**
 * Root-task queuing (issue 15 part 5): a wide graph of loads followed by reductions, run to the end
 * on tables that validate after every event, with queuing on and off.
 */
class TaskTableRootQueuingTest {
  static final int LOADS = 200;
  /** Tasks of 20 ms: at the default 20 ms queue target a worker of 2 threads may hold 4 tasks, 3 roots. */
  static final long MICROS = 20_000;
  /** Tasks of 1 ms: a worker of 2 threads may hold 42 tasks, and as many roots (they are short). */
  static final long SHORT_MICROS = 1_000;

  /** {@code load-i} for i < LOADS, {@code pair-j} = add(load-2j, load-2j+1), {@code total} = add of the pairs. */
  static GraphSpec loadsThenReductions() {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < LOADS; i++) {
      tasks.add(root("load-" + i));
    }
    String[] pairs = new String[LOADS / 2];
    for (int j = 0; j < LOADS / 2; j++) {
      pairs[j] = "pair-" + j;
      tasks.add(task(pairs[j], "add", "load-" + 2 * j, "load-" + (2 * j + 1)));
    }
    tasks.add(task("total", "add", pairs));
    return new GraphSpec("wide", tasks, null);
  }

  /** The most root tasks processing at once on one worker, over the whole run. */
  private static int runToTheEnd(TaskTableDriver d) {
    d.addWorker("w1", 2);
    d.addWorker("w2", 2);
    d.submit(loadsThenReductions());
    int most = mostRootsOnAWorker(d);
    for (int events = 0; d.table.graph(TaskTableDriver.G).remaining > 0; events++) {
      assertTrue(events < 10 * LOADS, "the graph does not finish");
      for (String name : List.of("w1", "w2")) {
        WorkerRecord w = d.w(name);
        if (!w.processing.isEmpty()) {
          TaskRecord first = w.processing.iterator().next();
          d.report(name, List.of(okTook(first.id(), MICROS)));
          most = Math.max(most, mostRootsOnAWorker(d));
        }
      }
    }
    assertEquals(TaskState.MEMORY, d.state("total"));
    return most;
  }

  private static int mostRootsOnAWorker(TaskTableDriver d) {
    int most = 0;
    for (WorkerRecord w : d.table.workers()) {
      int roots = 0;
      for (TaskRecord t : w.processing) {
        roots += t.deps.length == 0 ? 1 : 0;
      }
      most = Math.max(most, roots);
    }
    return most;
  }

  @Test
  void withQueuingOnAWorkerNeverHasMoreThanItsSaturationOfRootsProcessing() {
    TaskTableDriver d = new TaskTableDriver(TablePolicy.DEFAULT);
    int most = runToTheEnd(d);
    assertEquals(3, most, "ceil(2 threads x 1.1) = 3 roots per worker at most, and the slots are used");
  }

  @Test
  void withQueuingOffTheRootsFillTheWorkersSlots() {
    TaskTableDriver d = new TaskTableDriver(TablePolicy.DEFAULT.withRootQueuing(false));
    assertEquals(4, runToTheEnd(d), "its capacity (2 threads + 20 ms of 20 ms tasks per thread), all roots");
  }

  @Test
  void shortRootsAreGivenEnoughToCoverTheQueueTarget() {
    TaskTableDriver d = new TaskTableDriver(TablePolicy.DEFAULT);
    d.addWorker("w1", 2);
    d.submit(loadsThenReductions());
    assertEquals(3, mostRootsOnAWorker(d), "before any report: the saturation rule");
    d.report("w1", List.of(okTook(d.w("w1").processing.iterator().next().id(), SHORT_MICROS)));
    assertEquals(42, mostRootsOnAWorker(d), "1 ms tasks, shorter than the queue target: its capacity, as for any task");
  }

  @Test
  void reductionsAreNotHeldBackAndGoAheadOfQueuedRoots() {
    TaskTableDriver d = new TaskTableDriver(TablePolicy.DEFAULT);
    d.addWorker("w1", 1);
    d.submit(loadsThenReductions());
    assertEquals(2, d.w("w1").processing.size(), "ceil(1 x 1.1) = 2 root slots");
    d.report("w1", List.of(okTook(d.t("load-0").id(), MICROS)));
    d.report("w1", List.of(okTook(d.t("load-1").id(), MICROS)));
    // pair-0 is ready: it takes the freed slot ahead of the queued roots
    assertEquals(TaskState.PROCESSING, d.state("pair-0"));
    assertEquals(2, d.w("w1").processing.size(), "load-2 and pair-0");
    d.report("w1", List.of(okTook(d.t("load-2").id(), MICROS)));
    assertEquals(TaskState.PROCESSING, d.state("load-3"), "a root slot freed");
    d.report("w1", List.of(okTook(d.t("load-3").id(), MICROS)));
    assertEquals(TaskState.PROCESSING, d.state("pair-1"), "ready reductions go out first");
    assertEquals(TaskState.QUEUED, d.state("load-4"), "no root slot left: pair-0 and pair-1 fill both");
    d.report("w1", List.of(okTook(d.t("pair-0").id(), MICROS)));
    assertEquals(TaskState.PROCESSING, d.state("load-4"));
  }

  @Test
  void rootsNothingReadsAreNotHeldBack() {
    TaskTableDriver d = new TaskTableDriver(TablePolicy.DEFAULT);
    d.addWorker("w1", 1);
    List<TaskSpec> independent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      independent.add(root("x-" + i));
    }
    d.submit(new GraphSpec("independent", independent, null));
    assertEquals(2, d.w("w1").processing.size(), "capacity before a report: twice its thread");
    d.report("w1", List.of(okTook(d.t("x-0").id(), SHORT_MICROS)));
    assertEquals(9, d.w("w1").processing.size(), "all the rest: capacity 21");
    assertFalse(d.table.heldBack(d.t("x-1")));
  }

  @Test
  void theExplainerSaysAHeldBackRootWaitsForAFreeThread() {
    TaskTableDriver d = new TaskTableDriver(TablePolicy.DEFAULT);
    d.addWorker("w1", 2);
    d.submit(loadsThenReductions());
    TaskRecord last = d.t("load-" + (LOADS - 1));
    assertEquals(TaskState.QUEUED, last.state());
    TaskExplanation e = TaskExplainer.explain(d.table, last, null, null);
    assertEquals("Queued: root tasks wait for a free thread.", e.summary());
    assertTrue(e.reasons().get(0).startsWith("root queuing (tasklane.scheduler.root-queuing)"), e.reasons().toString());
  }

  @Test
  void aPausedWorkerGetsNoNewTasksUntilItResumes() {
    TaskTableDriver d = new TaskTableDriver(TablePolicy.DEFAULT);
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    d.table.handle(new Event.WorkerPaused("w2", true));
    d.submit(loadsThenReductions());
    assertEquals(2, d.w("w1").processing.size());
    assertEquals(0, d.w("w2").processing.size(), "paused: nothing");
    TaskRecord queued = d.t("load-" + (LOADS - 1));
    d.report("w1", List.of(okTook(d.t("load-0").id(), MICROS)));
    assertEquals(0, d.w("w2").processing.size());
    d.table.handle(new Event.WorkerPaused("w1", true));
    TaskExplanation e = TaskExplainer.explain(d.table, queued, null, null);
    assertEquals("Ready, but not running: every worker is paused (memory).", e.summary());
    TaskRecord onW1 = d.w("w1").processing.iterator().next();
    assertTrue(TaskExplainer.explain(d.table, onW1, null, null).reasons().stream()
        .anyMatch(r -> r.startsWith("its worker is paused")));
    List<Instruction> resumed = d.table.handle(new Event.WorkerPaused("w2", false));
    assertEquals(2, resumed.size(), "resumed: its root slots filled at once");
    assertTrue(resumed.stream().allMatch(i -> i instanceof Instruction.Assign a && a.worker().equals("w2")));
  }
}
