package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.protocol.TaskState.*;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The table's bounded log of transitions. */
class TransitionLogTest {

  @Test
  void aTaskLifeIsLoggedWithTheEventsThatMovedIt() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.submit(graph(root("a"), task("b", "inc", "a")));
    d.ok("w1", "a", 8);
    d.ok("w1", "b", 8); // b no longer needs a: released
    List<TransitionLog.Entry> a = d.table.transitions(d.t("a").id(), 10);
    assertEquals(List.of("released->waiting submit g1", "waiting->queued submit g1", "queued->processing submit g1",
        "processing->memory reports from w1", "memory->released reports from w1"),
        a.stream().map(e -> e.from().jsonName() + "->" + e.to().jsonName() + " " + e.cause()).toList());
    assertEquals(2, d.table.transitions(d.t("a").id(), 2).size(), "at most as many as asked, the latest");
    assertEquals(RELEASED, d.table.transitions(d.t("a").id(), 2).get(1).to());
  }

  @Test
  void theRingKeepsTheLatestAndCountsEveryTransition() {
    var d = new TaskTableDriver(new TaskTable(TablePolicy.DEFAULT, new TableSettings(true, Integer.MAX_VALUE, 4)));
    d.addWorker("w1", 1);
    d.submit(graph(root("a")));
    d.ok("w1", "a", 8);
    List<TransitionLog.Entry> last = d.table.recentTransitions(100);
    assertEquals(4, last.size(), "the ring holds 4");
    assertEquals(List.of(1L, 2L, 3L, 4L), last.stream().map(TransitionLog.Entry::seq).toList());
    d.forget();
    last = d.table.recentTransitions(2);
    assertEquals(List.of(5L, 6L), last.stream().map(TransitionLog.Entry::seq).toList());
    assertEquals(FORGOTTEN, last.get(1).to());
    assertTrue(last.get(1).toString().contains("a: released -> forgotten (forget g1)"), last.get(1).toString());
  }

  @Test
  void aLogOfSizeZeroKeepsNothing() {
    var d = new TaskTableDriver(new TaskTable(TablePolicy.DEFAULT, new TableSettings(true, Integer.MAX_VALUE, 0)));
    d.addWorker("w1", 1);
    d.submit(graph(root("a")));
    assertEquals(List.of(), d.table.recentTransitions(10));
    assertEquals(List.of(), d.table.transitions(d.t("a").id(), 10));
  }
}
