package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.scheduler.TaskTableDriver.chain;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphAdmissionTest {

  private final TaskTableDriver driver = new TaskTableDriver();

  /** Submits a chain of {@code n} tasks and, if asked, runs it to the end on worker w. */
  private GraphRecord graph(String id, int n, boolean finish, long finishedMillis) {
    driver.submit(id, chain(id, n));
    if (finish) {
      if (driver.table.worker("w") == null) {
        driver.addWorker("w", 1);
      }
      for (int i = 0; i < n; i++) {
        TaskRecord t = driver.table.task(id, id + "-" + i);
        driver.report("w", List.of(TaskTableDriver.ok(t.id(), 8)));
      }
    }
    GraphRecord g = driver.table.graph(id);
    assertEquals(finish, g.isFinished(), id + " finished");
    if (finish) {
      g.finishedMillis = finishedMillis;
    }
    return g;
  }

  @Test
  void admitsWhatFitsAndForgetsNothing() {
    graph("a", 3, false, 0);
    GraphAdmission.Verdict v = new GraphAdmission(10, 100).judge(5, driver.table.graphs());
    assertEquals(List.of(), assertInstanceOf(GraphAdmission.Admit.class, v).forgetFirst());
  }

  @Test
  void refusesForNowWhenTheMostGraphsAreRunning() {
    graph("a", 1, false, 0);
    graph("b", 1, false, 0);
    GraphAdmission.Refuse r = assertInstanceOf(GraphAdmission.Refuse.class,
        new GraphAdmission(2, 100).judge(1, driver.table.graphs()));
    assertTrue(r.retryLater());
    assertTrue(r.reason().contains("max-running-graphs"), r.reason());
  }

  @Test
  void finishedGraphsDoNotCountAsRunning() {
    graph("a", 1, true, 1);
    graph("b", 1, false, 0);
    assertInstanceOf(GraphAdmission.Admit.class, new GraphAdmission(2, 100).judge(1, driver.table.graphs()));
  }

  @Test
  void refusesForGoodAGraphLargerThanTheTaskLimit() {
    GraphAdmission.Refuse r = assertInstanceOf(GraphAdmission.Refuse.class,
        new GraphAdmission(10, 100).judge(101, driver.table.graphs()));
    assertFalse(r.retryLater());
    assertTrue(r.reason().contains("101 tasks") && r.reason().contains("max-tasks"), r.reason());
  }

  @Test
  void refusesForNowWhenRunningGraphsHoldTooManyTasks() {
    graph("a", 60, false, 0);
    GraphAdmission.Refuse r = assertInstanceOf(GraphAdmission.Refuse.class,
        new GraphAdmission(10, 100).judge(41, driver.table.graphs()));
    assertTrue(r.retryLater());
    assertTrue(r.reason().contains("60 tasks"), r.reason());
  }

  @Test
  void forgetsTheOldestFinishedGraphsToMakeRoom() {
    graph("new", 2, true, 300);
    graph("old", 2, true, 100);
    graph("mid", 2, true, 200);
    graph("run", 2, false, 0);
    // 8 held + 3 new = 11 > 10: forgetting "old" is enough
    GraphAdmission.Admit a = assertInstanceOf(GraphAdmission.Admit.class,
        new GraphAdmission(10, 10).judge(3, driver.table.graphs()));
    assertEquals(List.of("old"), a.forgetFirst().stream().map(GraphRecord::id).toList());
    // 8 held + 6 new = 14: "old" and "mid" go, never the running one
    a = assertInstanceOf(GraphAdmission.Admit.class, new GraphAdmission(10, 10).judge(6, driver.table.graphs()));
    assertEquals(List.of("old", "mid"), a.forgetFirst().stream().map(GraphRecord::id).toList());
  }

  @Test
  void limitsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new GraphAdmission(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new GraphAdmission(10, 0));
  }
}
