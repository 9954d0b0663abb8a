package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.worker.TestingTasks.input;
import static org.tasklane.worker.TestingTasks.num;
import static org.tasklane.worker.TestingTasks.ref;
import static org.tasklane.worker.TestingTasks.task;
import static org.tasklane.worker.TestingTasks.text;

import com.fasterxml.jackson.databind.node.LongNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.Transfer;

class TaskRunnerTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.load();
  private final TaskRunner runner = new TaskRunner(REGISTRY, "w-1", 1000);

  @Test
  void refsAreReplacedByInputValues() {
    TaskAssignment t = task(3, "c", "add", List.of(ref("a"), num(10)), List.of(input(1, "a", 8)));
    Transfer transfer = new Transfer(1, "a", "peer", 8, 1, 2);
    TaskRunner.Result r = runner.run(t, Map.of(1L, LongNode.valueOf(32)), List.of(transfer));
    assertEquals(TaskReport.Outcome.OK, r.report().outcome());
    assertEquals(LongNode.valueOf(42), r.value());
    assertEquals(8, r.report().nbytes());
    assertEquals(Thread.currentThread().getName(), r.report().thread());
    assertTrue(r.report().startMicros() <= r.report().stopMicros());
    assertEquals(List.of(transfer), r.report().transfers());
    assertNull(r.report().error());
  }

  @Test
  void anExceptionIsErredWithItsNameMessageAndThreeFrames() {
    TaskRunner.Result r = runner.run(task(1, "f", "fail", text("boom")), Map.of(), List.of());
    assertEquals(TaskReport.Outcome.ERRED, r.report().outcome());
    assertNull(r.value());
    String error = r.report().error();
    assertTrue(error.startsWith("RuntimeException: boom | at org.tasklane.worker.builtin.Fail.call("), error);
    assertEquals(3, error.split(" \\| at ", -1).length - 1, error);
  }

  @Test
  void aThrowingFunctionsReportCarriesItsFullTraceWithoutTheWorkersFrames() {
    TaskRunner.Result r = runner.run(task(1, "f", "fail", text("<b>boom</b>")), Map.of(), List.of());
    String trace = r.report().trace();
    assertTrue(trace.startsWith("java.lang.RuntimeException: <b>boom</b>\n\tat org.tasklane.worker.builtin.Fail.call("),
        trace);
    assertTrue(!trace.contains("TaskRunner"), trace);
    assertTrue(r.report().error().contains(" | at org.tasklane.worker.TaskRunner."), "the error text is as before");
    assertNull(runner.run(task(2, "i", "inc", num(1)), Map.of(), List.of()).report().trace());
  }

  @Test
  void argumentErrorsAreErred() {
    TaskRunner.Result r = runner.run(task(1, "i", "inc", num(1), num(2)), Map.of(), List.of());
    assertTrue(r.report().error().startsWith("IllegalArgumentException: inc expects 1 number, got 2 arguments | at "),
        r.report().error());
  }

  @Test
  void aRefThatIsNotAnInputIsErred() {
    TaskRunner.Result r = runner.run(task(1, "i", "inc", ref("ghost")), Map.of(), List.of());
    assertEquals(TaskReport.Outcome.ERRED, r.report().outcome());
    assertTrue(r.report().error().startsWith(
        "IllegalArgumentException: argument {\"ref\": \"ghost\"} of i is not among its inputs"), r.report().error());
  }

  @Test
  void aResultOverTheLimitIsErred() {
    TaskRunner.Result big = runner.run(task(1, "big-1", "bytes", num(1001)), Map.of(), List.of());
    assertEquals(TaskReport.Outcome.ERRED, big.report().outcome());
    assertEquals("result of big-1 is 1001 bytes, over the limit of 1000 bytes (tasklane.worker.max-result-bytes)",
        big.report().error());
    assertNull(big.value());
    TaskRunner.Result fits = runner.run(task(2, "ok-1", "bytes", num(1000)), Map.of(), List.of());
    assertEquals(TaskReport.Outcome.OK, fits.report().outcome());
    assertEquals(1000, fits.report().nbytes());
  }

  @Test
  void unknownFunctionAndMissingData() {
    TaskReport unknown = runner.unknownFunction(task(1, "x", "nope"), List.of(), 5);
    assertEquals(TaskReport.Outcome.ERRED, unknown.outcome());
    assertEquals("unknown function 'nope' on worker w-1", unknown.error());
    assertEquals("unknown function 'nope' on worker w-1",
        runner.run(task(1, "x", "nope"), Map.of(), List.of()).report().error());

    TaskAssignment t = task(3, "c", "add", List.of(ref("a"), ref("b")), List.of(input(1, "a", 8), input(2, "b", 8)));
    TaskReport missing = TaskRunner.missingData(t, List.of(2L), List.of(), 5);
    assertEquals(TaskReport.Outcome.MISSING_DATA, missing.outcome());
    assertEquals(List.of(2L), missing.missing());
    assertEquals("no holder had b (id 2)", missing.error());
  }

  @Test
  void longMessagesAreCut() {
    String error = TaskRunner.describe(new IllegalStateException("x".repeat(10_000)));
    assertTrue(error.length() < TaskRunner.MAX_MESSAGE_CHARS + 1000, "length " + error.length());
    assertEquals("NullPointerException", TaskRunner.describe(withoutStack(new NullPointerException())));
  }

  private static Throwable withoutStack(Throwable t) {
    t.setStackTrace(new StackTraceElement[0]);
    return t;
  }
}
