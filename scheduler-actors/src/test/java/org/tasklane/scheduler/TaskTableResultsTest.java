package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.protocol.TaskState.MEMORY;
import static org.tasklane.protocol.TaskState.RELEASED;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GroupProgress;

/** Which results are kept, where copies are, and what a graph's status says. */
class TaskTableResultsTest {

  @Test
  void wantedResultsStayInMemoryAndEveryOtherResultIsReleased() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graphWanting(List.of("b"),
        root("a"), root("e"), task("b", "inc", "a"), task("f", "inc", "e")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "e")), out);
    assertEquals(List.of(d.assign("w1", "b")), d.ok("w1", "a", 8));
    assertEquals(List.of(d.assign("w2", "f")), d.ok("w2", "e", 8));
    assertEquals(List.of(d.release("w1", "a")), d.ok("w1", "b", 8));
    // f is a leaf nobody wants: released at once, like its input
    assertEquals(List.of(d.finished(), d.release("w2", "e"), d.release("w2", "f")), d.ok("w2", "f", 8));

    d.assertStates("a:released e:released b:memory f:released");
    assertEquals(1, d.w("w1").heldCount());
    assertEquals(0, d.w("w2").heldCount());
    assertEquals(List.of(d.w("w1")), d.t("b").holders());
    GraphStatus s = d.status();
    assertEquals(4, s.done());
    assertEquals(Map.of("released", 3, "waiting", 0, "queued", 0, "processing", 0, "memory", 1, "erred", 0),
        s.states());
  }

  @Test
  void aTransferMakesTheReceivingWorkerAHolderAndForgettingReleasesEveryCopy() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graphWanting(List.of("b", "c"), root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b")), out);
    assertEquals(List.of(), d.ok("w1", "a", 100));
    assertEquals(List.of(d.assign("w1", "c")), d.ok("w2", "b", 10));
    assertEquals(0, d.status().transfers());

    assertEquals(List.of(d.finished(), d.release("w1", "a")), d.ok("w1", "c", 5, transfer(d.t("b"), "w2", 10)));
    assertEquals(List.of(d.w("w2"), d.w("w1")), d.t("b").holders());
    assertEquals(2, d.w("w1").heldCount());
    assertEquals(1, d.w("w2").heldCount());
    assertEquals(1, d.status().transfers());
    assertEquals(10, d.status().transferBytes());

    TaskRecord b = d.t("b");
    TaskRecord c = d.t("c");
    assertEquals(List.of(release("w2", b), release("w1", b), release("w1", c)), d.forget());
    assertEquals(0, d.w("w1").heldCount());
    assertEquals(0, d.w("w2").heldCount());
  }

  @Test
  void aLateReportOfAForgottenTaskReleasesItsResultAndTheInputsItFetched() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b")), out);
    assertEquals(List.of(), d.ok("w1", "a", 100));
    assertEquals(List.of(d.assign("w1", "c")), d.ok("w2", "b", 10));
    TaskRecord b = d.t("b");
    TaskRecord c = d.t("c");

    assertEquals(List.of(d.release("w1", "a"), d.release("w2", "b")), d.forget());
    assertEquals(List.of(release("w1", c), release("w1", b)),
        d.report("w1", List.of(ok(c.id(), 5, transfer(b, "w2", 10)))));
    assertEquals(0, d.w("w1").heldCount());
    assertEquals(0, d.w("w1").processingCount());
  }

  @Test
  void theStatusOfAFinishedGraphWithAFailingTask() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 2);
    var out = d.submit(graphWanting(List.of("inc-0", "total"),
        root("load-0"), root("load-1"), task("inc-0", "inc", "load-0"), task("inc-1", "inc", "load-1"),
        task("total", "add", "inc-0", "inc-1")));
    assertEquals(List.of(d.assign("w1", "load-0"), d.assign("w1", "load-1")), out);
    GraphStatus running = d.status();
    assertEquals("running", running.state());
    assertEquals(0, running.done());
    assertEquals(0, running.finishedMillis());
    assertEquals(Map.of("released", 0, "waiting", 3, "queued", 0, "processing", 2, "memory", 0, "erred", 0),
        running.states());
    assertEquals(List.of(
        new GroupProgress("load", 2, 0, 0, 0, 2, 0),
        new GroupProgress("inc", 2, 0, 0, 0, 0, 2),
        new GroupProgress("total", 1, 0, 0, 0, 0, 1)), running.groups());
    assertTrue(!running.isFinished());

    assertEquals(List.of(d.assign("w1", "inc-0")), d.ok("w1", "load-0", 8));
    assertEquals(List.of(d.assign("w1", "inc-1")), d.ok("w1", "load-1", 8));
    assertEquals(List.of(d.release("w1", "load-1")), d.fail("w1", "inc-1", "ZeroDivisionError: boom"));
    d.assertStates("inc-1:erred total:erred inc-0:processing");
    long before = System.currentTimeMillis();
    assertEquals(List.of(d.finished(), d.release("w1", "load-0")), d.ok("w1", "inc-0", 16));
    long after = System.currentTimeMillis();

    GraphStatus s = d.status();
    assertTrue(s.finishedMillis() >= before && s.finishedMillis() <= after, "finished at " + s.finishedMillis());
    assertEquals(new GraphStatus(G, "test", "done", 5, 3, 2,
        Map.of("released", 2, "waiting", 0, "queued", 0, "processing", 0, "memory", 1, "erred", 2),
        List.of(
            new GroupProgress("load", 2, 0, 2, 0, 0, 0),
            new GroupProgress("inc", 2, 1, 0, 1, 0, 0),
            new GroupProgress("total", 1, 0, 0, 1, 0, 0)),
        0, 0, SUBMITTED_MILLIS, s.finishedMillis(),
        Map.of("inc-1", "ZeroDivisionError: boom", "total", "dependency inc-1 failed"), 0, 0), s);
    assertTrue(s.isFinished());
    assertEquals(1, d.w("w1").heldCount());
  }

  @Test
  void aChainOfAHundredThousandTasksRunsToTheEnd() {
    int n = 100_000;
    // validating all 100,000 tasks after each of 100,000 events would take hours: at 10 tasks walked
    // per event on average, the table is validated after every 10,000th
    var d = new TaskTableDriver(new TaskTable(TablePolicy.DEFAULT, new TableSettings(true, 10, 10_000)));
    d.addWorker("w1", 1);
    var out = d.submit(chain("c", n));
    assertEquals(List.of(d.assign("w1", "c-0")), out);

    TaskRecord previous = null;
    TaskRecord current = d.t("c-0");
    int assigns = 1;
    for (int i = 0; i < n; i++) {
      out = d.report("w1", List.of(ok(current.id(), 8)));
      TaskRecord next = i + 1 < n ? d.t("c-" + (i + 1)) : null;
      List<Instruction> expected = i == 0 ? List.of(new Instruction.Assign("w1", next))
          : next == null ? List.of(d.finished(), release("w1", previous))
          : List.of(release("w1", previous), new Instruction.Assign("w1", next));
      if (!expected.equals(out)) {
        assertEquals(expected, out, "after the report of c-" + i);
      }
      assigns += next == null ? 0 : 1;
      previous = current;
      current = next;
    }
    assertEquals(n, assigns);
    assertEquals(MEMORY, d.state("c-" + (n - 1)));
    assertEquals(RELEASED, d.state("c-" + (n - 2)));
    GraphStatus s = d.status();
    assertEquals(n, s.done());
    assertEquals(n - 1, s.states().get("released"));
    assertEquals(List.of(new GroupProgress("c", n, 1, n - 1, 0, 0, 0)), s.groups());
    d.table.validate();
    assertEquals(1, d.w("w1").heldCount());
    assertEquals(List.of(release("w1", previous)), d.forget());
  }

  @Test
  void aFailureAtTheRootOfAHundredThousandLongChainErrsEveryTask() {
    int n = 100_000;
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(chain("c", n));
    assertEquals(List.of(d.assign("w1", "c-0")), out);
    assertEquals(List.of(d.finished()), d.fail("w1", "c-0", "boom"));
    assertEquals("dependency c-" + (n - 2) + " failed", d.t("c-" + (n - 1)).error());
    GraphStatus s = d.status();
    assertEquals(n, s.erred());
    assertEquals(List.of(new GroupProgress("c", n, 0, 0, n, 0, 0)), s.groups());
    assertEquals(List.of(), d.forget());
  }
}
