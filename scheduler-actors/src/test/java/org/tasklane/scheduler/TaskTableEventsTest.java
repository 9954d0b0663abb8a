package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.api.GraphStatus;

/** Events at their edges: unknown ids, batches of reports, repeated references. */
class TaskTableEventsTest {

  @Test
  void forgettingAnUnknownGraphDoesNothing() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    assertEquals(List.of(), d.forget("nope"));
    var out = d.submit(graph(root("a")));
    assertEquals(List.of(d.assign("w1", "a")), out);
    assertEquals(List.of(), d.forget("nope"));
    assertEquals(List.of(d.finished()), d.ok("w1", "a", 8));
    assertEquals(List.of(d.release("w1", "a")), d.forget());
    assertEquals(List.of(), d.forget()); // twice
  }

  @Test
  void forgettingAGraphNoWorkerTookLeavesNoneOfItsTasksQueued() {
    // seen in bench/throughput --held-only: graphs forgotten before any worker came stayed in memory
    var d = new TaskTableDriver();
    d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(2, d.table.readyQueueLength());
    d.forget();
    assertEquals(0, d.table.readyQueueLength());
    d.addWorker("w1", 1);
    assertEquals(0, d.table.queuedCount());
  }

  @Test
  void aGraphIdCanBeSubmittedOnlyOnce() {
    var d = new TaskTableDriver();
    d.submit(graph(root("a")));
    assertThrows(IllegalArgumentException.class, () -> d.submit(graph(root("b"))));
    assertNull(d.table.task(G, "b"));
  }

  @Test
  void aWorkerNameCanBeRegisteredOnlyOnceAndRemovingAnUnknownOneDoesNothing() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    assertThrows(IllegalArgumentException.class, () -> d.addWorker("w1", 4));
    assertEquals(1, d.w("w1").nthreads());
    assertEquals(List.of(), d.removeWorker("w9"));
  }

  @Test
  void aReportFromAnUnregisteredWorkerIsReleasedAndChangesNothing() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a")));
    assertEquals(List.of(d.assign("w1", "a")), out);
    assertEquals(List.of(d.release("ghost", "a")), d.report("ghost", List.of(ok(d.t("a").id(), 8))));
    d.assertStates("a:processing");
    assertEquals(List.of(d.finished()), d.ok("w1", "a", 8));
  }

  @Test
  void aSubmittedGraphStartsWithEveryTaskWaitingAndItsRootsQueued() {
    var d = new TaskTableDriver();
    // listed before its inputs: still waits for them
    var out = d.submit(graph(task("sum-0", "add", "load-0", "load-1"), root("load-0"), root("load-1")));
    assertEquals(List.of(), out);
    d.assertStates("sum-0:waiting load-0:queued load-1:queued");
    GraphStatus s = d.status();
    assertEquals("running", s.state());
    assertEquals(Map.of("released", 0, "waiting", 1, "queued", 2, "processing", 0, "memory", 0, "erred", 0),
        s.states());
    assertEquals(SUBMITTED_MILLIS, s.submittedMillis());

    assertEquals(List.of(d.assign("w1", "load-0"), d.assign("w1", "load-1")), d.addWorker("w1", 4));
    assertEquals(List.of(), d.ok("w1", "load-0", 8));
    assertEquals(List.of(d.assign("w1", "sum-0")), d.ok("w1", "load-1", 8));
  }

  @Test
  void aBatchOfReportsIsWorkedOffTogether() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 2);
    var out = d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w1", "b")), out);
    out = d.report("w1", List.of(ok(d.t("a").id(), 8), ok(d.t("b").id(), 8)));
    assertEquals(List.of(d.assign("w1", "c")), out);
    assertEquals(List.of(d.finished(), d.release("w1", "a"), d.release("w1", "b")), d.ok("w1", "c", 8));
  }

  @Test
  void anInputReferredToTwiceIsOneDependency() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a"), task("c", "add", "a", "a")));
    assertEquals(List.of(d.assign("w1", "a")), out);
    assertEquals(List.of(d.t("a")), d.t("c").deps());
    assertEquals(List.of(d.assign("w1", "c")), d.ok("w1", "a", 8));
    assertEquals(List.of(d.finished(), d.release("w1", "a")), d.ok("w1", "c", 8));
  }

  @Test
  void twoFailedInputsErrTheirDependentOnce() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 2);
    var out = d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w1", "b")), out);
    out = d.report("w1", List.of(failed(d.t("a").id(), "x"), failed(d.t("b").id(), "y")));
    assertEquals(List.of(d.finished()), out);
    d.assertStates("a:erred b:erred c:erred");
    assertTrue(Set.of("dependency a failed", "dependency b failed").contains(d.t("c").error()), d.t("c").error());
    GraphStatus s = d.status();
    assertEquals(3, s.erred());
    assertEquals(0, s.done());
    assertEquals(3, s.errors().size());
    assertEquals(3, s.states().get("erred"));
  }
}
