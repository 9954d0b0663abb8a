package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Retirement planning: which worker a copy goes to, and when a retiring worker may leave. */
class RetirementPlannerTest {

  private static WorkerRecord worker(String name, long heldBytes) {
    WorkerRecord w = new WorkerRecord(name, 1, Set.of("load"), null);
    w.heldBytes = heldBytes;
    return w;
  }

  @Test
  void aCopyGoesToTheWorkerWithTheFewestHeldAndPlannedBytes() {
    WorkerRecord a = worker("a", 500);
    WorkerRecord b = worker("b", 100);
    WorkerRecord c = worker("c", 300);
    List<WorkerRecord> active = List.of(a, b, c);
    assertSame(b, RetirementPlanner.copyTarget(active, Map.of(), 0));
    assertSame(c, RetirementPlanner.copyTarget(active, Map.of(b, 250L), 0), "b's planned copies count");
  }

  @Test
  void aLaterAttemptTakesTheNextWorker() {
    WorkerRecord a = worker("a", 0);
    WorkerRecord b = worker("b", 10);
    List<WorkerRecord> active = List.of(a, b);
    assertSame(a, RetirementPlanner.copyTarget(active, Map.of(), 0));
    assertSame(b, RetirementPlanner.copyTarget(active, Map.of(), 1));
    assertSame(a, RetirementPlanner.copyTarget(active, Map.of(), 2));
  }

  @Test
  void copiesAreSpreadOverTheActiveWorkersByBytes() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 2);
    d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    d.ok("w1", "a", 100);
    d.ok("w1", "b", 100);
    d.addWorker("w2", 1);
    d.addWorker("w3", 1);
    // a and b only on w1, c (needing both) waits: each copy goes to a different empty worker
    d.assertStates("a:memory b:memory c:processing");
    assertEquals(List.of(new Instruction.Replicate("w2", d.t("a")), new Instruction.Replicate("w3", d.t("b"))),
        d.retire("w1"));
  }

  @Test
  void aRetiringWorkerWithNothingToHandOverIsRetiredAtOnceAndAlone() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.submit(graph(root("a"), task("b", "inc", "a")));
    d.ok("w1", "a", 8);
    // b runs on w1 and needs a; no other worker could take a copy
    assertEquals(List.of(new Instruction.Retired("w1", 0, 0, 1, true)), d.retire("w1"));
    assertEquals(List.of(), d.retireTimedOut("w1"), "finished already: the timeout changes nothing");
  }
}
