package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A worker that stops gracefully: it gets no new tasks, and the results only it holds that are
 * still needed are copied to other workers before it leaves, so nothing it made is computed again.
 */
class TaskTableRetireTest {

  static Instruction replicate(TaskTableDriver d, String worker, String key) {
    return new Instruction.Replicate(worker, d.t(key));
  }

  static Instruction retired(String worker, int handed, long bytes, int left, boolean alone) {
    return new Instruction.Retired(worker, handed, bytes, left, alone);
  }

  /** w1 made {@code a}, which {@code c} still needs; w2 runs {@code b}. */
  static TaskTableDriver aOnW1BRunningOnW2() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b")), out);
    assertEquals(List.of(), d.ok("w1", "a", 100));
    return d;
  }

  @Test
  void aResultOnlyTheRetiringWorkerHoldsIsCopiedAndNotComputedAgain() {
    var d = aOnW1BRunningOnW2();

    assertEquals(List.of(replicate(d, "w2", "a")), d.retire("w1"));
    assertTrue(d.w("w1").isRetiring());
    // the copy arrives: w2 holds a, w1 no longer counts as a holder, and w1 may go
    assertEquals(List.of(retired("w1", 1, 100, 0, false)),
        d.replicasFetched("w2", List.of(d.t("a").id()), List.of()));
    assertEquals(List.of(d.w("w2")), d.t("a").holders());
    assertEquals(0, d.w("w1").heldCount());
    assertEquals(1, d.status().handedOff());

    // w1 leaves: nothing to compute again
    assertEquals(List.of(), d.removeWorker("w1"));
    d.assertStates("a:memory b:processing c:waiting");
    assertEquals(List.of(d.assign("w2", "c")), d.ok("w2", "b", 8));
    assertEquals(d.finished(), d.ok("w2", "c", 8).get(0));
    assertEquals(0, d.status().recomputed());
    assertEquals(1, d.t("a").runs());
  }

  @Test
  void aRetiringWorkerGetsNoNewTasks() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 4);
    d.addWorker("w2", 1);
    assertEquals(List.of(retired("w1", 0, 0, 0, false)), d.retire("w1"));
    var out = d.submit(graph(root("a"), root("b")));
    assertEquals(List.of(d.assign("w2", "a"), d.assign("w2", "b")), out);
  }

  @Test
  void itFinishesWhatItRunsThenHandsOffTheResults() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), root("b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b")), out);

    // a is still running on w1: no answer yet, and a stays with w1
    assertEquals(List.of(), d.retire("w1"));
    d.assertStates("a:processing");
    // a is done and wanted: copied to w2
    assertEquals(List.of(replicate(d, "w2", "a")), d.ok("w1", "a", 40));
    assertEquals(List.of(retired("w1", 1, 40, 0, false)),
        d.replicasFetched("w2", List.of(d.t("a").id()), List.of()));
    assertEquals(List.of(), d.removeWorker("w1"));
    d.assertStates("a:memory b:processing");
  }

  @Test
  void theOnlyWorkerHasNobodyToHandItsResultsTo() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    d.ok("w1", "a", 8);
    // b is still running: no point waiting for it, there is nobody to take its result
    assertEquals(List.of(retired("w1", 0, 0, 1, true)), d.retire("w1"));
    // asked again, it answers again
    assertEquals(List.of(retired("w1", 0, 0, 1, true)), d.retire("w1"));
    // once gone, its work waits for the next worker, and a is computed again there
    assertEquals(List.of(), d.removeWorker("w1"));
    d.assertStates("a:queued b:queued c:waiting");
    assertEquals(List.of(d.assign("w2", "a"), d.assign("w2", "b")), d.addWorker("w2", 1));
    d.ok("w2", "a", 8);
    assertEquals(1, d.status().recomputed());
  }

  @Test
  void aResultAnActiveWorkerAlsoHoldsIsNotCopied() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graphWanting(List.of("a", "c"), root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b")), out);
    d.ok("w1", "a", 100);
    assertEquals(List.of(d.assign("w2", "c")), d.ok("w2", "b", 1000));
    d.ok("w2", "c", 8, transfer(d.t("a"), "w1", 100)); // w2 fetched a: two holders

    assertEquals(List.of(retired("w1", 0, 0, 0, false)), d.retire("w1"));
    assertEquals(List.of(d.w("w2")), d.t("a").holders());
    assertEquals(List.of(), d.removeWorker("w1"));
    d.assertStates("a:memory b:released c:memory");
  }

  @Test
  void aFailedCopyIsAskedOfTheNextWorkerAndAtMostThreeTimes() {
    var d = aOnW1BRunningOnW2();
    d.addWorker("w3", 1);
    long a = d.t("a").id();

    // w2 and w3 hold as little; w2 is asked first; it could not fetch: w3 is asked next
    assertEquals(List.of(replicate(d, "w2", "a")), d.retire("w1"));
    assertEquals(List.of(replicate(d, "w3", "a")), d.replicasFetched("w2", List.of(), List.of(a)));
    // the worker asked leaves before it answers: the next one is asked
    assertEquals(List.of(replicate(d, "w2", "a")), d.removeWorker("w3"));
    // the third failure is the last: w1 may go, a is left to be computed again
    assertEquals(List.of(retired("w1", 0, 0, 1, false)), d.replicasFetched("w2", List.of(), List.of(a)));
    assertEquals(List.of(d.assign("w2", "a")), d.removeWorker("w1"));
    assertEquals(0, d.status().handedOff());
  }

  @Test
  void whenTheTimeIsUpTheWorkerMayGoAndWhatOnlyItHeldIsComputedAgain() {
    var d = aOnW1BRunningOnW2();
    assertEquals(List.of(replicate(d, "w2", "a")), d.retire("w1"));
    assertEquals(List.of(retired("w1", 0, 0, 1, false)), d.retireTimedOut("w1"));
    assertEquals(List.of(), d.retireTimedOut("w1"));
    // the copy that comes late is still counted on
    assertEquals(List.of(), d.replicasFetched("w2", List.of(d.t("a").id()), List.of()));
    assertEquals(List.of(d.w("w2")), d.t("a").holders());
    assertEquals(1, d.status().handedOff());
    assertEquals(List.of(), d.removeWorker("w1"));
    d.assertStates("a:memory");
  }

  @Test
  void aCopyOfAResultNobodyNeedsAnyMoreIsDropped() {
    var d = aOnW1BRunningOnW2();
    long a = d.t("a").id();
    assertEquals(List.of(replicate(d, "w2", "a")), d.retire("w1"));
    // the graph is cancelled while a is being copied: w1 may go at once, the copy is dropped when it comes
    var out = d.forget();
    assertEquals(retired("w1", 0, 0, 0, false), out.get(out.size() - 1));
    assertEquals(List.of(new Instruction.Release("w2", a)), d.replicasFetched("w2", List.of(a), List.of()));
  }

  @Test
  void aCopyThatReachesAWorkerThatIsRetiringItselfIsAskedOfAnother() {
    var d = aOnW1BRunningOnW2();
    d.addWorker("w3", 1);
    long a = d.t("a").id();
    assertEquals(List.of(replicate(d, "w2", "a")), d.retire("w1"));
    // w2 retires before its copy comes (still running b): the copy goes to w3 instead
    assertEquals(List.of(replicate(d, "w3", "a")), d.retire("w2"));
    assertEquals(List.of(new Instruction.Release("w2", a)), d.replicasFetched("w2", List.of(a), List.of()));
    assertEquals(List.of(retired("w1", 1, 100, 0, false)), d.replicasFetched("w3", List.of(a), List.of()));
    assertEquals(List.of(d.w("w3")), d.t("a").holders());
  }

  @Test
  void theInputsARetiringWorkerFetchedDoNotCountAsHeldThere() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b")), out);
    d.ok("w2", "b", 8);
    assertEquals(List.of(), d.retire("w1"));
    // a's report says w1 fetched b: it is told to drop it; c goes to w2, and a is copied there
    assertEquals(List.of(d.release("w1", "b"), d.assign("w2", "c"), replicate(d, "w2", "a")),
        d.ok("w1", "a", 8, transfer(d.t("b"), "w2", 8)));
    assertFalse(d.t("b").holders().contains(d.w("w1")));
  }

  @Test
  void recomputedCountsTasksComputedAgainAfterALoss() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    d.ok("w1", "a", 8);
    assertEquals(List.of(d.assign("w2", "a")), d.removeWorker("w1")); // a was only on w1: computed again
    d.ok("w2", "a", 8);
    assertEquals(1, d.status().recomputed());
    assertEquals(2, d.t("a").runs());
  }
}
