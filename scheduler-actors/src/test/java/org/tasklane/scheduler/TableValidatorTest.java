package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskState;

/**
 * The validator finds each kind of broken relation: each case breaks one by hand in a table that
 * was valid (a, b on w1 in memory, c processing on w2, d waiting on c) and reads the message.
 */
class TableValidatorTest {

  private static TaskTableDriver valid() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b"), task("d", "inc", "c")));
    d.ok("w1", "a", 10);
    d.ok("w2", "b", 20);
    d.ok("w2", "c", 30);
    d.table.validate();
    return d;
  }

  private static void assertBroken(String message, Consumer<TaskTableDriver> breakIt) {
    var d = valid();
    breakIt.accept(d);
    IllegalStateException e = assertThrows(IllegalStateException.class, d.table::validate);
    assertEquals("task table invariant broken: " + message, e.getMessage());
  }

  @Test
  void aValidTableValidates() {
    var d = valid();
    d.assertStates("a:released b:released c:memory d:processing");
    d.table.validate();
  }

  @Test
  void heldBytesThatDoNotAddUp() {
    assertBroken("worker w2 counts 31 bytes held but its results add up to 30", d -> d.w("w2").heldBytes++);
  }

  @Test
  void aHolderThatDoesNotListTheResult() {
    assertBroken("task 'c' of graph g1 (memory) is held by w2, which does not list it", d -> d.w("w2").holds.clear());
  }

  @Test
  void aTaskProcessingOnAWorkerThatIsNotRegistered() {
    assertBroken("task 'd' of graph g1 (processing) is processing on ghost, which is not registered", d -> {
      TaskRecord t = d.t("d");
      WorkerRecord ghost = new WorkerRecord("ghost", 1, Set.of(), null);
      t.processingOn.processing.remove(t);
      t.processingOn = ghost;
      ghost.processing.add(t);
    });
  }

  @Test
  void aWaitingCountThatDoesNotMatchTheInputs() {
    assertBroken("task 'd' of graph g1 (waiting) waits on 2 inputs but 1 are not in memory", d -> {
      d.removeWorker("w2"); // c lost: d waits on it
      d.t("d").waitingOn = 2;
    });
  }

  @Test
  void pendingDependentsThatDoNotMatch() {
    assertBroken("task 'c' of graph g1 (memory) counts 0 pending dependents but 1 are waiting, queued or processing",
        d -> d.t("c").pendingDependents = 0);
  }

  @Test
  void graphCountsThatDoNotMatchItsTasks() {
    assertBroken("graph g1 counts 2 tasks memory but has 1", d -> d.table.graph(G).stateCounts[TaskState.MEMORY.ordinal()]++);
  }

  @Test
  void groupCountsThatDoNotMatchTheTasks() {
    assertBroken("graph g1 group counts GroupProgress[name=c, total=1, memory=2, released=0, erred=0, processing=0, "
        + "waiting=0] but its tasks make GroupProgress[name=c, total=1, memory=1, released=0, erred=0, processing=0, waiting=0]",
        d -> d.t("c").group.memory++);
  }

  @Test
  void aResultNobodyNeedsLeftInMemory() {
    assertBroken("task 'a' of graph g1 (memory) is in memory though nothing needs it", d -> {
      TaskRecord a = d.t("a");
      a.state = TaskState.MEMORY;
      a.completed = true;
      a.holders = java.util.List.of(d.w("w1"));
      d.w("w1").holds.add(a);
      d.w("w1").heldBytes += a.nbytes;
      d.table.graph(G).stateCounts[TaskState.RELEASED.ordinal()]--;
      d.table.graph(G).stateCounts[TaskState.MEMORY.ordinal()]++;
      a.group.released--;
      a.group.memory++;
      a.group.parent.released--;
      a.group.parent.memory++;
    });
  }
}
