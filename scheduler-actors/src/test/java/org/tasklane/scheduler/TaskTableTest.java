package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.tasklane.protocol.TaskState.*;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tasklane.protocol.TaskState;
import org.tasklane.protocol.api.GraphStatus;

/**
 * Every legal edge of {@link TaskTransitions#LEGAL}, each produced by a scenario of events fed to
 * a {@link TaskTable}: the scenario asserts the exact instructions of every event, and returns the
 * state of one task just before and just after the event that moves it.
 */
class TaskTableTest {

  record Edge(TaskState from, TaskState to) {
    @Override
    public String toString() {
      return from.jsonName() + " -> " + to.jsonName();
    }
  }

  /**
   * @param seenAs what a test can see of the edge: usually the edge itself. {@code forget} moves a
   *     waiting, queued or processing task to released and then on to forgotten in the same call,
   *     so those three are seen as {@code X -> forgotten}; their scenarios also check that the task
   *     did not pass through erred (the other way to forgotten).
   */
  record Scenario(String name, Edge seenAs, Supplier<Edge> run) {}

  private static final Map<Edge, Scenario> SCENARIOS = new LinkedHashMap<>();

  static {
    add(RELEASED, WAITING, "a released input of a lost, still-needed result is needed again",
        TaskTableTest::releasedToWaiting);
    add(RELEASED, FORGOTTEN, "forget a finished graph", TaskTableTest::releasedToForgotten);
    add(WAITING, QUEUED, "its input completes while no slot is free", TaskTableTest::waitingToQueued);
    add(WAITING, ERRED, "its dependency fails, through a chain", TaskTableTest::waitingToErred);
    addSeenForgotten(WAITING, "forget a running graph", () -> forgetWhileRunning("b"));
    add(QUEUED, PROCESSING, "a worker joins", TaskTableTest::queuedToProcessing);
    add(QUEUED, WAITING, "its input's only holder leaves while every slot is full", TaskTableTest::queuedToWaiting);
    addSeenForgotten(QUEUED, "forget a running graph", () -> forgetWhileRunning("q"));
    add(PROCESSING, MEMORY, "an ok report", TaskTableTest::processingToMemory);
    add(PROCESSING, ERRED, "an erred report keeps the message", TaskTableTest::processingToErred);
    add(PROCESSING, WAITING, "its worker leaves", TaskTableTest::processingToWaiting);
    addSeenForgotten(PROCESSING, "forget a running graph; the late report is released",
        () -> forgetWhileRunning("a"));
    add(MEMORY, RELEASED, "its last dependent completes: every holder releases it", TaskTableTest::memoryToReleased);
    add(MEMORY, WAITING, "its only holder leaves while it is wanted", TaskTableTest::memoryToWaiting);
    add(ERRED, FORGOTTEN, "forget a graph with a failed task", TaskTableTest::erredToForgotten);
  }

  private static void add(TaskState from, TaskState to, String name, Supplier<Edge> run) {
    Edge e = new Edge(from, to);
    SCENARIOS.put(e, new Scenario(name, e, run));
  }

  private static void addSeenForgotten(TaskState from, String name, Supplier<Edge> run) {
    SCENARIOS.put(new Edge(from, RELEASED), new Scenario(name, new Edge(from, FORGOTTEN), run));
  }

  @Test
  void theScenariosCoverExactlyTheLegalEdges() {
    Set<Edge> legal = new LinkedHashSet<>();
    TaskTransitions.LEGAL.forEach((from, tos) -> tos.forEach(to -> legal.add(new Edge(from, to))));
    assertEquals(legal, SCENARIOS.keySet());
  }

  @TestFactory
  List<DynamicTest> everyLegalEdge() {
    List<DynamicTest> tests = new ArrayList<>();
    for (TaskState from : TaskState.values()) {
      for (TaskState to : TaskTransitions.LEGAL.get(from)) {
        Edge edge = new Edge(from, to);
        Scenario s = SCENARIOS.get(edge);
        tests.add(dynamicTest(edge + ": " + (s == null ? "NO SCENARIO" : s.name()), () -> {
          assertNotNull(s, "no scenario for " + edge);
          assertEquals(s.seenAs(), s.run().get(), "the task's state before and after the event");
        }));
      }
    }
    return tests;
  }

  // ------------------------------------------------------------------ the scenarios

  /** a -> b -> c -> d, all on w1; w1 leaves while d runs: c is lost, and b and a are needed again. */
  private static Edge releasedToWaiting() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a"), task("b", "inc", "a"), task("c", "inc", "b"), task("d", "inc", "c")));
    assertEquals(List.of(d.assign("w1", "a")), out);
    assertEquals(List.of(d.assign("w1", "b")), d.ok("w1", "a", 8));
    assertEquals(List.of(d.release("w1", "a"), d.assign("w1", "c")), d.ok("w1", "b", 8));
    assertEquals(List.of(d.release("w1", "b"), d.assign("w1", "d")), d.ok("w1", "c", 8));
    assertEquals(List.of(), d.addWorker("w2", 1));

    TaskState before = d.state("b");
    assertEquals(List.of(d.assign("w2", "a")), d.removeWorker("w1"));
    d.assertStates("a:processing b:waiting c:waiting d:waiting");
    return new Edge(before, d.state("b"));
  }

  private static Edge releasedToForgotten() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a"), task("b", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a")), out);
    assertEquals(List.of(d.assign("w1", "b")), d.ok("w1", "a", 8));
    assertEquals(List.of(d.finished(), d.release("w1", "a")), d.ok("w1", "b", 8));
    TaskRecord a = d.t("a");
    TaskRecord b = d.t("b");

    TaskState before = a.state();
    assertEquals(List.of(release("w1", b)), d.forget());
    assertEquals(FORGOTTEN, b.state());
    assertNull(d.table.graph(G));
    assertNull(d.table.task(G, "a"));
    assertNull(d.table.task(a.id()));
    assertEquals(0, d.w("w1").heldCount());
    return new Edge(before, a.state());
  }

  /** a completes and frees one slot, which the second of its two dependents gets. */
  private static Edge waitingToQueued() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1); // 2 slots
    var out = d.submit(graph(root("a"), root("r"), task("x", "inc", "a"), task("y", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w1", "r")), out);

    TaskState before = d.state("x");
    assertEquals(List.of(d.assign("w1", "y")), d.ok("w1", "a", 8));
    d.assertStates("a:memory r:processing x:queued y:processing");
    assertEquals(1, d.table.queuedCount());
    Edge seen = new Edge(before, d.state("x"));
    assertEquals(List.of(d.assign("w1", "x")), d.ok("w1", "r", 8));
    return seen;
  }

  private static Edge waitingToErred() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a"), task("b", "inc", "a"), task("c", "inc", "b")));
    assertEquals(List.of(d.assign("w1", "a")), out);

    TaskState before = d.state("c");
    assertEquals(List.of(d.finished()), d.fail("w1", "a", "ValueError: bad input"));
    d.assertStates("a:erred b:erred c:erred");
    assertEquals("ValueError: bad input", d.t("a").error());
    assertEquals("dependency a failed", d.t("b").error());
    assertEquals("dependency b failed", d.t("c").error());
    GraphStatus s = d.status();
    assertEquals("done", s.state());
    assertEquals(3, s.erred());
    assertEquals(0, s.done());
    assertEquals(
        Map.of("a", "ValueError: bad input", "b", "dependency a failed", "c", "dependency b failed"), s.errors());
    return new Edge(before, d.state("c"));
  }

  private static Edge queuedToProcessing() {
    var d = new TaskTableDriver();
    var out = d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(), out);
    d.assertStates("a:queued b:queued c:waiting");
    assertEquals(2, d.table.queuedCount());

    TaskState before = d.state("a");
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w1", "b")), d.addWorker("w1", 1));
    assertEquals(0, d.table.queuedCount());
    return new Edge(before, d.state("a"));
  }

  /**
   * Two workers of one thread (two slots each) run a, r1, r2, r3. a's completion on w1 queues b1
   * and b2; b2 takes the slot a freed and b1 stays queued. Then w1 leaves, taking a with it.
   */
  private static Edge queuedToWaiting() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), root("r1"), root("r2"), root("r3"),
        task("b1", "inc", "a"), task("b2", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "r1"), d.assign("w1", "r2"), d.assign("w2", "r3")), out);
    assertEquals(List.of(d.assign("w1", "b2")), d.ok("w1", "a", 8));
    d.assertStates("b1:queued b2:processing");

    TaskState before = d.state("b1");
    assertEquals(List.of(), d.removeWorker("w1")); // w2 is full: nothing to assign
    d.assertStates("a:queued r1:processing r2:queued r3:processing b1:waiting b2:waiting");
    assertEquals(2, d.table.queuedCount());
    return new Edge(before, d.state("b1"));
  }

  private static Edge processingToMemory() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a"), task("b", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a")), out);

    TaskState before = d.state("a");
    assertEquals(List.of(d.assign("w1", "b")), d.ok("w1", "a", 64));
    assertEquals(64, d.t("a").nbytes());
    assertEquals(List.of(d.w("w1")), d.t("a").holders());
    assertEquals(1, d.w("w1").heldCount());
    return new Edge(before, d.state("a"));
  }

  private static Edge processingToErred() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w1", "b")), out);

    String error = "ZeroDivisionError: division by zero\n  at inc (tasks.py:3)";
    TaskState before = d.state("a");
    assertEquals(List.of(), d.fail("w1", "a", error));
    d.assertStates("a:erred b:processing c:erred");
    assertEquals(error, d.t("a").error());
    assertEquals("dependency a failed", d.t("c").error());
    assertEquals(1, d.w("w1").processingCount());
    Edge seen = new Edge(before, d.state("a"));
    // b's only dependent erred: its result is not kept
    assertEquals(List.of(d.finished(), d.release("w1", "b")), d.ok("w1", "b", 8));
    assertEquals(Map.of("a", error, "c", "dependency a failed"), d.status().errors());
    return seen;
  }

  private static Edge processingToWaiting() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), task("b", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a")), out);
    assertEquals(List.of(d.assign("w1", "b")), d.ok("w1", "a", 8));

    TaskState before = d.state("b");
    assertEquals(List.of(d.assign("w2", "a")), d.removeWorker("w1"));
    d.assertStates("a:processing b:waiting");
    Edge seen = new Edge(before, d.state("b"));
    assertEquals(List.of(d.assign("w2", "b")), d.ok("w2", "a", 8));
    assertEquals(List.of(d.finished(), d.release("w2", "a")), d.ok("w2", "b", 8));
    return seen;
  }

  /** b's input a is on w1, the other on w2; c runs on w1 and fetches b from w2. */
  private static Edge memoryToReleased() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), root("b"), task("c", "add", "a", "b")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w2", "b")), out);
    assertEquals(List.of(), d.ok("w1", "a", 100));
    assertEquals(List.of(d.assign("w1", "c")), d.ok("w2", "b", 10)); // w1 holds more input bytes

    TaskState before = d.state("b");
    var done = d.ok("w1", "c", 5, transfer(d.t("b"), "w2", 10));
    assertEquals(List.of(d.finished(), d.release("w1", "a"), d.release("w2", "b"), d.release("w1", "b")), done);
    d.assertStates("a:released b:released c:memory");
    assertEquals(List.of(), d.t("b").holders());
    assertEquals(1, d.w("w1").heldCount());
    assertEquals(0, d.w("w2").heldCount());
    assertEquals(1, d.status().transfers());
    assertEquals(10, d.status().transferBytes());
    return new Edge(before, d.state("b"));
  }

  /** b is the wanted result of a finished graph; its only holder leaves, and a was released. */
  private static Edge memoryToWaiting() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    d.addWorker("w2", 1);
    var out = d.submit(graph(root("a"), task("b", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a")), out);
    assertEquals(List.of(d.assign("w1", "b")), d.ok("w1", "a", 8));
    assertEquals(List.of(d.finished(), d.release("w1", "a")), d.ok("w1", "b", 8));
    assertEquals("done", d.status().state());

    TaskState before = d.state("b");
    assertEquals(List.of(d.assign("w2", "a")), d.removeWorker("w1"));
    d.assertStates("a:processing b:waiting");
    GraphStatus s = d.status();
    assertEquals("running", s.state());
    assertEquals(0, s.done());
    assertEquals(0, s.finishedMillis());
    Edge seen = new Edge(before, d.state("b"));

    assertEquals(List.of(d.assign("w2", "b")), d.ok("w2", "a", 8));
    assertEquals(List.of(d.finished(), d.release("w2", "a")), d.ok("w2", "b", 8));
    assertEquals(List.of(d.w("w2")), d.t("b").holders());
    assertEquals("done", d.status().state());
    return seen;
  }

  private static Edge erredToForgotten() {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a"), task("b", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a")), out);
    assertEquals(List.of(d.finished()), d.fail("w1", "a", "boom"));
    TaskRecord a = d.t("a");

    TaskState before = a.state();
    assertEquals(List.of(), d.forget());
    return new Edge(before, a.state());
  }

  /**
   * w1 (two slots) runs a and p of graph g1 and has q queued, b waiting on a; graph g2's roots
   * queue behind q. Forgetting g1 frees both slots for g2, and w1's late reports on g1 are
   * answered with a release. Returns the state of {@code key} before and after the forget.
   */
  private static Edge forgetWhileRunning(String key) {
    var d = new TaskTableDriver();
    d.addWorker("w1", 1);
    var out = d.submit(graph(root("a"), root("p"), root("q"), task("b", "inc", "a")));
    assertEquals(List.of(d.assign("w1", "a"), d.assign("w1", "p")), out);
    assertEquals(List.of(), d.submit("g2", graph(root("x"), root("y"))));
    d.assertStates("a:processing p:processing q:queued b:waiting");
    GraphRecord g1 = d.table.graph(G);
    TaskRecord a = d.t("a");
    TaskRecord p = d.t("p");
    TaskRecord watched = d.t(key);

    TaskState before = watched.state();
    assertEquals(List.of(new Instruction.Assign("w1", d.t("g2", "x")), new Instruction.Assign("w1", d.t("g2", "y"))),
        d.forget());
    for (TaskRecord t : g1.tasks) {
      assertEquals(FORGOTTEN, t.state(), t.key());
    }
    assertEquals(0, g1.erredCount, "no task went through erred");
    assertEquals("cancelled", g1.toStatus().state());
    assertNull(d.table.graph(G));
    assertEquals(0, d.table.queuedCount());

    // late reports of the forgotten tasks: a result to drop, a failure with nothing to drop
    assertEquals(List.of(release("w1", a)), d.report("w1", List.of(ok(a.id(), 8))));
    assertEquals(List.of(), d.report("w1", List.of(failed(p.id(), "boom"))));
    assertEquals(2, d.w("w1").processingCount());
    assertEquals(0, d.w("w1").heldCount());
    return new Edge(before, watched.state());
  }
}
