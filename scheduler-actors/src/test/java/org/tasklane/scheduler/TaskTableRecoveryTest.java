package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tasklane.protocol.TaskState.WAITING;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GroupProgress;

/** Workers leaving, inputs going missing, late reports: what is computed again, and where. */
class TaskTableRecoveryTest {

  @Test
  void aLostResultIsRecomputedOnTheRemainingWorkerWithItsReleasedInputs() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a"), task("b", "inc", "a"), task("c", "inc", "b"), task("d", "inc", "c")));
    assertEquals(List.of(d.assign("w1", "a")), out);
    assertEquals(List.of(d.assign("w1", "b")), d.ok("w1", "a", 8));
    assertEquals(List.of(d.release("w1", "a"), d.assign("w1", "c")), d.ok("w1", "b", 8));
    assertEquals(List.of(d.release("w1", "b"), d.assign("w1", "d")), d.ok("w1", "c", 8));
    d.addWorker("w2", 1);

    // c was only on w1 and d needs it; c needs b, which needs a: all three computed again
    assertEquals(List.of(d.assign("w2", "a")), d.removeWorker("w1"));
    d.assertStates("a:processing b:waiting c:waiting d:waiting");
    assertEquals(List.of(new GroupProgress("a", 1, 0, 0, 0, 1, 0), new GroupProgress("b", 1, 0, 0, 0, 0, 1)),
        d.status().groups().subList(0, 2));
    assertEquals(0, d.status().done());

    // the worker that left reports d after all: not counted on, its copy is dropped
    assertEquals(List.of(d.release("w1", "d")), d.report("w1", List.of(ok(d.t("d").id(), 8))));
    assertEquals(WAITING, d.state("d"));

    assertEquals(List.of(d.assign("w2", "b")), d.ok("w2", "a", 8));
    assertEquals(List.of(d.release("w2", "a"), d.assign("w2", "c")), d.ok("w2", "b", 8));
    assertEquals(List.of(d.release("w2", "b"), d.assign("w2", "d")), d.ok("w2", "c", 8));
    assertEquals(List.of(d.finished(), d.release("w2", "c")), d.ok("w2", "d", 8));
    d.assertStates("a:released b:released c:released d:memory");
    assertEquals(4, d.status().done());
    assertEquals(1, d.w("w2").heldCount());
  }

  @Test
  void theTasksOfALeavingWorkerGoToAnother() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), root("b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b")), out);
    assertEquals(List.of(d.assign("w2", "a")), d.removeWorker("w1"));
    assertEquals(2, d.w("w2").processingCount());
    d.assertStates("a:processing b:processing");
  }

  @Test
  void whenTheLastWorkerLeavesItsWorkWaitsQueuedForTheNext() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w1", "b")), out);
    assertEquals(List.of(), d.ok("w1", "a", 8));

    assertEquals(List.of(), d.removeWorker("w1"));
    d.assertStates("a:queued b:queued c:waiting");
    assertEquals(2, d.table.queuedCount());
    assertEquals(List.of(d.assign("w2", "a"), d.assign("w2", "b")), d.addWorker("w2", 1));
  }

  @Test
  void aResultWithAnotherHolderIsNotRecomputed() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graphWanting(List.of("b", "c"), root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b")), out);
    assertEquals(List.of(), d.ok("w1", "a", 100));
    assertEquals(List.of(d.assign("w1", "c")), d.ok("w2", "b", 10));
    assertEquals(List.of(d.finished(), d.release("w1", "a")), d.ok("w1", "c", 5, transfer(d.t("b"), "w2", 10)));
    assertEquals(List.of(d.w("w2"), d.w("w1")), d.t("b").holders());

    assertEquals(List.of(), d.removeWorker("w2"));
    d.assertStates("a:released b:memory c:memory");
    assertEquals(List.of(d.w("w1")), d.t("b").holders());
    assertEquals("done", d.status().state());
  }

  @Test
  void missingDataDropsTheInputsHoldersRecomputesItAndRequeuesTheTask() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b")), out);
    assertEquals(List.of(), d.ok("w1", "a", 100));
    assertEquals(List.of(d.assign("w1", "c")), d.ok("w2", "b", 10));

    // w1 could not fetch b from w2: b is computed again (on the least loaded worker), c waits for it
    assertEquals(List.of(d.assign("w1", "b")), d.missing("w1", "c", "b"));
    d.assertStates("a:memory b:processing c:waiting");
    assertEquals(0, d.w("w2").heldCount());
    assertEquals(1, d.w("w1").heldCount());

    assertEquals(List.of(d.assign("w1", "c")), d.ok("w1", "b", 10));
    assertEquals(List.of(d.finished(), d.release("w1", "a"), d.release("w1", "b")), d.ok("w1", "c", 1));
    assertEquals(3, d.status().done());
  }

  /** The scenario of the queued -> waiting edge, run to the end. */
  @Test
  void aResultLostWhileItsDependentIsQueuedIsComputedAgainWhenASlotFrees() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), root("r1"), root("r2"), root("r3"),
        task("b1", "inc", "a"), task("b2", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "r1"), d.assign("w1", "r2"), d.assign("w2", "r3")), out);
    assertEquals(List.of(d.assign("w1", "b2")), d.ok("w1", "a", 8));
    assertEquals(List.of(), d.removeWorker("w1"));
    d.assertStates("a:queued r2:queued b1:waiting b2:waiting");

    assertEquals(List.of(d.assign("w2", "a")), d.ok("w2", "r1", 8));
    assertEquals(List.of(d.assign("w2", "b2")), d.ok("w2", "a", 8));
    d.assertStates("b1:queued r2:queued");
    assertEquals(2, d.table.queuedCount());
    assertEquals(List.of(d.assign("w2", "b1")), d.ok("w2", "r3", 8));
    assertEquals(List.of(d.assign("w2", "r2")), d.ok("w2", "b2", 8));
    assertEquals(List.of(d.release("w2", "a")), d.ok("w2", "b1", 8));
    assertEquals(List.of(d.finished()), d.ok("w2", "r2", 8));
    assertEquals(5, d.w("w2").heldCount());
    assertEquals(Map.of("released", 1, "waiting", 0, "queued", 0, "processing", 0, "memory", 5, "erred", 0),
        d.status().states());
  }

  /**
   * w1 (two slots) has dd queued behind bb when t reports its input x missing. dd goes back to
   * waiting, x is recomputed, and dd is queued again: it must count once.
   */
  @Test
  void aTaskQueuedAgainCountsOnceInTheQueue() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graphWanting(List.of("p", "bb", "bb2", "dd", "t"),
        root("p"), root("p2"), task("x", "inc", "p"), task("bb", "inc", "p2"), task("bb2", "inc", "p2"),
        task("dd", "inc", "x"), task("t", "inc", "x")));
    assertEquals(List.of(d.assign("w1", "p"), d.assign("w1", "p2")), out);
    assertEquals(List.of(d.assign("w1", "x")), d.ok("w1", "p", 8));
    assertEquals(List.of(d.assign("w1", "t")), d.ok("w1", "x", 8));
    assertEquals(List.of(d.assign("w1", "bb2")), d.ok("w1", "p2", 8));
    d.assertStates("dd:queued bb:queued");
    assertEquals(2, d.table.queuedCount());

    assertEquals(List.of(d.assign("w1", "x")), d.missing("w1", "t", "x"));
    d.assertStates("x:processing t:waiting dd:waiting bb:queued");
    assertEquals(1, d.table.queuedCount());

    assertEquals(List.of(d.assign("w1", "t")), d.ok("w1", "x", 8));
    d.assertStates("dd:queued bb:queued");
    assertEquals(2, d.table.queuedCount());

    assertEquals(List.of(d.assign("w1", "dd")), d.ok("w1", "bb2", 8));
    assertEquals(1, d.table.queuedCount());
    assertEquals(List.of(d.assign("w1", "bb")), d.ok("w1", "t", 8));
    assertEquals(0, d.table.queuedCount());
    assertEquals(List.of(d.release("w1", "x")), d.ok("w1", "dd", 8));
    assertEquals(List.of(d.finished(), d.release("w1", "p2")), d.ok("w1", "bb", 8));
  }

  @Test
  void aRunningDependentErrsWhenItsRecomputedInputFails() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b")), out);
    assertEquals(List.of(), d.ok("w1", "a", 100));
    assertEquals(List.of(d.assign("w1", "c")), d.ok("w2", "b", 10));

    // c runs on w1 and will fetch b; w2 leaves, and b fails when computed again
    assertEquals(List.of(d.assign("w1", "b")), d.removeWorker("w2"));
    d.assertStates("a:memory b:processing c:processing");
    assertEquals(List.of(d.finished(), d.release("w1", "a")), d.fail("w1", "b", "flaky"));
    d.assertStates("a:released b:erred c:erred");
    assertEquals("dependency b failed", d.t("c").error());
    assertEquals(0, d.w("w1").processingCount());

    // c's late result is dropped
    assertEquals(List.of(d.release("w1", "c")), d.ok("w1", "c", 8));
    GraphStatus s = d.status();
    assertEquals(1, s.done());
    assertEquals(2, s.erred());
    assertEquals(Map.of("b", "flaky", "c", "dependency b failed"), s.errors());
  }

  @Test
  void aLateOkReportOfAResultInMemoryAddsASecondHolder() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), task("b", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a")), out);
    assertEquals(List.of(d.assign("w1", "b")), d.ok("w1", "a", 8));

    assertEquals(List.of(), d.ok("w2", "a", 8));
    assertEquals(List.of(d.w("w1"), d.w("w2")), d.t("a").holders());
    assertEquals(List.of(d.finished(), d.release("w1", "a"), d.release("w2", "a")), d.ok("w1", "b", 8));
    assertEquals(0, d.w("w2").heldCount());
  }
}
