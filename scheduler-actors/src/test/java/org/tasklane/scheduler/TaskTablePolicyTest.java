package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/** Where ready tasks go, how many a worker takes, and which functions a graph may use. */
class TaskTablePolicyTest {

  private static GraphSpec roots(int n) {
    TaskSpec[] tasks = new TaskSpec[n];
    for (int i = 0; i < n; i++) {
      tasks[i] = root("r-" + i);
    }
    return graph(tasks);
  }

  @Test
  void aRootGoesToTheLeastLoadedWorkerCountingItsThreads() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 4);
    var out = d.submit(graph(root("a"), root("b"), root("c")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w1", "b"), d.assign("w1", "c")), out);
    assertEquals(List.of(), d.addWorker("w2", 4));
    assertEquals(List.of(), d.addWorker("w3", 1));

    // loads before each: w1 3/4, w2 0/4, w3 0/1 -> w2; then w3 (0 < 1/4); then w2 (1/4 < 3/4 < 1/1)
    out = d.submit("g2", graph(root("x"), root("y"), root("z")));
    assertEquals(List.of(
        new Instruction.Assign("w2", d.t("g2", "x")),
        new Instruction.Assign("w3", d.t("g2", "y")),
        new Instruction.Assign("w2", d.t("g2", "z"))), out);
  }

  /**
   * w1 holds a (10 bytes) and is idle; w2 holds b and still runs p2. d = add(a, b) goes where
   * most of its input bytes are, and on a tie to the less loaded worker.
   */
  @ParameterizedTest(name = "b of {0} bytes: d goes to {1}")
  @CsvSource({"1000, w2", "5, w1", "10, w1"})
  void aTaskGoesToTheWorkerHoldingMostOfItsInputBytes(long bBytes, String expected) {
    var d = new TaskTableDriver();
    d.addWorker("w1", 2);
    d.addWorker("w2", 2);
    var out = d.submit(graph(root("a"), root("b"), root("p1"), root("p2"), task("d", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b"), d.assign("w1", "p1"), d.assign("w2", "p2")), out);
    assertEquals(List.of(), d.ok("w1", "a", 10));
    assertEquals(List.of(), d.ok("w1", "p1", 8));
    assertEquals(0, d.w("w1").processingCount());

    assertEquals(List.of(d.assign(expected, "d")), d.ok("w2", "b", bBytes));
  }

  @Test
  void aWorkerNeverHasMoreThanItsCapacity() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 3);
    WorkerRecord w = d.w("w1");
    assertEquals(6, d.table.capacity(w), "2 * nthreads before any report");

    List<TaskRecord> assigned = new ArrayList<>();
    for (Instruction i : d.submit(roots(10))) {
      assigned.add(((Instruction.Assign) i).task());
    }
    assertEquals(6, assigned.size());
    assertEquals(6, w.processingCount());
    assertEquals(4, d.table.queuedCount());

    for (int next = 0; next < assigned.size(); next++) {
      List<Instruction> out = d.report("w1", List.of(ok(assigned.get(next).id(), 8)));
      List<Instruction> expected = next < 4 ? List.of(d.assign("w1", "r-" + (6 + next)))
          : next == 9 ? List.of(d.finished()) : List.of();
      assertEquals(expected, out, "after report " + next);
      for (Instruction i : out) {
        if (i instanceof Instruction.Assign a) {
          assigned.add(a.task());
        }
      }
      assertEquals(6, d.table.capacity(w));
      assertTrue(w.processingCount() <= d.table.capacity(w), "processing " + w.processingCount());
    }
    assertEquals(10, new LinkedHashSet<>(assigned).size());
    assertEquals(0, w.processingCount());
    assertEquals(10, d.status().done());
  }

  @Test
  void shortTasksLetAWorkerTakeMoreUpToThePolicysLimit() {
    // 1 ms tasks, 20 ms target: 2 threads + ceil(2 * 20) queued
    var d = new TaskTableDriver();
    d.addWorker("w1", 2);
    var first = d.submit(roots(100));
    assertEquals(4, first.size());
    var out = d.report("w1", List.of(okTook(((Instruction.Assign) first.get(0)).task().id(), 1_000)));
    assertEquals(42, d.table.capacity(d.w("w1")));
    assertEquals(39, out.size());
    assertEquals(42, d.w("w1").processingCount());

    // at most maxQueuedPerThread per thread beyond the threads
    var capped = new TaskTableDriver(new TablePolicy(20_000, 3));
    capped.addWorker("w1", 2);
    first = capped.submit(roots(100));
    capped.report("w1", List.of(okTook(((Instruction.Assign) first.get(0)).task().id(), 1_000)));
    assertEquals(2 + 6, capped.table.capacity(capped.w("w1")));
    assertEquals(8, capped.w("w1").processingCount());
  }

  @Test
  void longTasksLeaveOneQueuedTaskBeyondTheThreads() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 2);
    var first = d.submit(roots(10));
    assertEquals(4, first.size());
    // a 1 s task: 20 ms of queued work is less than one task, so one extra slot
    var out = d.report("w1", List.of(okTook(((Instruction.Assign) first.get(0)).task().id(), 1_000_000)));
    assertEquals(3, d.table.capacity(d.w("w1")));
    assertEquals(List.of(), out);
    assertEquals(3, d.w("w1").processingCount());
  }

  @Test
  void withNoWorkersTasksWaitQueuedAndWorkersThatJoinTakeThem() {
    var d = new TaskTableDriver();
    var out = d.submit(graph(root("a"), root("b"), root("c"), task("s", "add", "a", "b", "c")));
    assertEquals(List.of(), out);
    d.assertStates("a:queued b:queued c:queued s:waiting");
    assertEquals(3, d.table.queuedCount());

    assertEquals(List.of(d.assign("w1", "a"), d.assign("w1", "b")), d.addWorker("w1", 1));
    d.assertStates("a:processing b:processing c:queued");
    assertEquals(List.of(d.assign("w2", "c")), d.addWorker("w2", 1));
    assertEquals(0, d.table.queuedCount());
  }

  @Test
  void aWorkerAddedLaterReceivesQueuedTasks() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(roots(5));
    assertEquals(List.of(d.assign("w1", "r-0"), d.assign("w1", "r-1")), out);
    assertEquals(3, d.table.queuedCount());

    assertEquals(List.of(d.assign("w2", "r-2"), d.assign("w2", "r-3"), d.assign("w2", "r-4")), d.addWorker("w2", 2));
    assertEquals(2, d.w("w1").processingCount());
    assertEquals(3, d.w("w2").processingCount());
    assertEquals(0, d.table.queuedCount());
  }

  @Test
  void tasksFreedByACompletionGoAheadOfQueuedRoots() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a"), root("r1"), root("r2"), root("r3"), task("b", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w1", "r1")), out);
    assertEquals(List.of(d.assign("w1", "b")), d.ok("w1", "a", 8));
    assertEquals(List.of(d.release("w1", "a"), d.assign("w1", "r2")), d.ok("w1", "b", 8));
  }

  @Test
  void checkFunctionsAcceptsAnythingWhileNoWorkerIsRegistered() {
    var d = new TaskTableDriver();
    assertEquals(FunctionCheck.KNOWN, d.table.checkFunctions(graph(task("x", "nope"))));
  }

  @Test
  void checkFunctionsNamesAnUnknownFunctionAndListsTheKnownOnes() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1, List.of("load", "inc"));
    d.addWorker("w2", 1, List.of("add"));
    GraphSpec bad = graph(root("a"), task("b", "inc", "a"), task("x", "nope", "b"));

    assertEquals(new FunctionCheck.Unknown("unknown function 'nope' in task 'x'; the workers know: add, inc, load"),
        d.table.checkFunctions(bad));
    assertNull(d.table.graph(G), "checking submits nothing");
    assertEquals(FunctionCheck.KNOWN, d.table.checkFunctions(graph(root("a"), task("b", "inc", "a"), task("c", "add", "a", "b"))));
  }

  @Test
  void checkFunctionsForgetsTheFunctionsOfAWorkerThatLeft() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1, List.of("load"));
    d.addWorker("w2", 1, Set.of("add"));
    GraphSpec spec = graph(root("a"), task("b", "add", "a"));
    assertEquals(FunctionCheck.KNOWN, d.table.checkFunctions(spec));
    d.removeWorker("w2");
    assertEquals(new FunctionCheck.Unknown("unknown function 'add' in task 'b'; the workers know: load"),
        d.table.checkFunctions(spec));
  }
}
