package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskArgs;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskReport;
import org.tasklane.worker.code.JarCache;
import org.tasklane.worker.code.JarLoaders;
import org.tasklane.worker.code.JarSource;
import org.tasklane.worker.code.JavaCalls;
import org.tasklane.worker.code.TestJars;

/** java: functions run by the task runner: calls of every kind, typed arguments and results, and each failure's line. */
class JavaFunctionsTest {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final ExecutorService BLOCKING = Executors.newCachedThreadPool();

  static final String CALLS = """
      package demo;
      import java.util.*;
      public class Calls {
        public record Point(long x, long y) {}
        public record Scale(long factor) {
          public long apply(long x) { return factor * x; }
        }
        public static long twice(long x) { return 2 * x; }
        private static long secret(long x) { return x + 1000; }
        public static long total(List<Map<String, Long>> rows) {
          long t = 0;
          for (Map<String, Long> row : rows) for (Long v : row.values()) t += v;
          return t;
        }
        public static String elementType(List<Map<String, Long>> rows) {
          return rows.get(0).values().iterator().next().getClass().getName();
        }
        public static byte[] reverse(byte[] b) {
          byte[] r = new byte[b.length];
          for (int i = 0; i < b.length; i++) r[i] = b[b.length - 1 - i];
          return r;
        }
        public static Point flip(Point p) { return new Point(p.y(), p.x()); }
        public static void nothing(String s) {}
        public static String boom(String m) {
          try {
            throw new IllegalStateException("inner " + m);
          } catch (RuntimeException e) {
            throw new IllegalArgumentException("outer " + m, e);
          }
        }
        public static Object opaque() { return new Object(); }
      }
      """;
  static final String BAD_INIT = """
      package demo;
      public class BadInit {
        static final int VALUE = Integer.parseInt("not a number");
        public static int value() { return VALUE; }
      }
      """;
  static final byte[] JAR = TestJars.compile(Map.of("demo.Calls", CALLS, "demo.BadInit", BAD_INIT));
  static final String SHA = TestJars.sha256(JAR);

  static final JarSource SOURCE = (sha, target) -> CompletableFuture.runAsync(() -> {
    try {
      Files.write(target, sha.equals(SHA) ? JAR : TestJars.greeter(sha));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }, BLOCKING);

  static final JavaCalls CALLS_RUNNER = new JavaCalls(new JarCache(SOURCE, BLOCKING),
      new JarLoaders(JavaFunctionsTest.class.getClassLoader(), 8, Duration.ofMinutes(1), System::nanoTime),
      Duration.ofSeconds(30), JavaFunctionsTest.class.getClassLoader());
  static final TaskRunner RUNNER = new TaskRunner(FunctionRegistry.load(), "w-1", 1 << 20, CALLS_RUNNER);

  @AfterAll
  static void stop() {
    CALLS_RUNNER.close();
    BLOCKING.shutdownNow();
  }

  static JsonNode v(JsonNode value) {
    return NODES.objectNode().set("v", value);
  }

  static ObjectNode frame(JsonNode target, JsonNode... params) {
    ObjectNode f = NODES.objectNode().put("call", 1);
    if (target != null) {
      f.set("target", target);
    }
    ArrayNode ps = f.putArray("params");
    for (JsonNode p : params) {
      ps.add(p);
    }
    return f;
  }

  static TaskRunner.Result run(String fn, ObjectNode frame) {
    return run(fn, List.of(SHA), List.of(frame), List.of(), Map.of());
  }

  static TaskRunner.Result run(String fn, List<String> code, List<JsonNode> args, List<TaskAssignment.Input> inputs,
      Map<Long, JsonNode> values) {
    TaskAssignment t = new TaskAssignment(9, "call-1", "call", fn, TaskArgs.of(args), inputs, code, 0);
    return RUNNER.run(t, values, List.of());
  }

  static JsonNode ok(TaskRunner.Result r) {
    assertEquals(TaskReport.Outcome.OK, r.report().outcome(), r.report().error());
    assertEquals(Values.sizeOf(r.value()), r.report().nbytes());
    return r.value();
  }

  static String erred(TaskRunner.Result r) {
    assertEquals(TaskReport.Outcome.ERRED, r.report().outcome());
    assertNull(r.value());
    assertFalse(r.report().error().contains("\n"), r.report().error());
    return r.report().error();
  }

  @Test
  void theRunnerKnowsJavaFunctions() {
    assertTrue(RUNNER.knows("java:demo.Calls::twice(J)J"));
    assertFalse(new TaskRunner(FunctionRegistry.load(), "w-1", 100).knows("java:demo.Calls::twice(J)J"));
  }

  @Test
  void aStaticMethodTakesAResultThroughAReference() {
    JsonNode f = frame(null, NODES.objectNode().put("r", 1));
    TaskAssignment.Input in = new TaskAssignment.Input(4, "x", 8, List.of());
    TaskRunner.Result r = run("java:demo.Calls::twice(J)J", List.of(SHA),
        List.of(f, NODES.objectNode().put("ref", "x")), List.of(in), Map.of(4L, NODES.numberNode(21)));
    assertEquals(42, ok(r).longValue());
  }

  @Test
  void aPrivateMethodIsCalledToo() {
    assertEquals(1007, ok(run("java:demo.Calls::secret(J)J", frame(null, v(NODES.numberNode(7))))).longValue());
  }

  @Test
  void anInstanceMethodIsCalledOnItsTargetDecodedIntoTheTargetClass() {
    JsonNode target = v(NODES.objectNode().put("factor", 3));
    assertEquals(12, ok(run("java:demo.Calls$Scale::apply(J)J", frame(target, v(NODES.numberNode(4))))).longValue());
    ObjectNode named = frame(target, v(NODES.numberNode(5)));
    named.put("targetClass", "demo.Calls$Scale");
    assertEquals(15, ok(run("java:demo.Calls$Scale::apply(J)J", named)).longValue());
  }

  @Test
  void aConstructorMakesAValueThatIsEncoded() {
    JsonNode p = ok(run("java:demo.Calls$Point::<init>(JJ)V", frame(null, v(NODES.numberNode(1)), v(NODES.numberNode(2)))));
    assertEquals("{\"x\":1,\"y\":2}", p.toString());
  }

  @Test
  void genericParametersAreDecodedIntoTheirDeclaredTypes() {
    JsonNode rows = NODES.arrayNode().add(NODES.objectNode().put("a", 1).put("b", 2)).add(NODES.objectNode().put("c", 3));
    // built from parts: a list of a literal and a reference
    JsonNode part = NODES.objectNode().set("l", NODES.arrayNode().add(v(rows.get(0))).add(NODES.objectNode().put("r", 1)));
    TaskAssignment.Input in = new TaskAssignment.Input(4, "row", 8, List.of());
    TaskRunner.Result r = run("java:demo.Calls::total(Ljava/util/List;)J", List.of(SHA),
        List.of(frame(null, part), NODES.objectNode().put("ref", "row")), List.of(in), Map.of(4L, rows.get(1)));
    assertEquals(6, ok(r).longValue());
    assertEquals("java.lang.Long",
        ok(run("java:demo.Calls::elementType(Ljava/util/List;)Ljava/lang/String;", frame(null, v(rows)))).textValue());
  }

  @Test
  void bytesGoInAndComeOutAsBinary() {
    JsonNode out = ok(run("java:demo.Calls::reverse([B)[B", frame(null, v(BinaryNode.valueOf(new byte[] {1, 2, 3})))));
    assertTrue(out.isBinary(), out.getNodeType().toString());
    assertArrayEquals(new byte[] {3, 2, 1}, ((BinaryNode) out).binaryValue());
    // over HTTP binary arrives as base64 text: decoded into byte[] all the same
    JsonNode fromText = ok(run("java:demo.Calls::reverse([B)[B", frame(null, v(NODES.textNode("AQID")))));
    assertArrayEquals(new byte[] {3, 2, 1}, ((BinaryNode) fromText).binaryValue());
  }

  @Test
  void aRecordIsAParameterAndAResult() {
    ObjectNode parts = NODES.objectNode();
    parts.set("x", v(NODES.numberNode(1)));
    parts.set("y", v(NODES.numberNode(2)));
    JsonNode out = ok(run("java:demo.Calls::flip(Ldemo/Calls$Point;)Ldemo/Calls$Point;",
        frame(null, NODES.objectNode().set("m", parts))));
    assertEquals("{\"x\":2,\"y\":1}", out.toString());
  }

  @Test
  void voidGivesNull() {
    assertTrue(ok(run("java:demo.Calls::nothing(Ljava/lang/String;)V", frame(null, v(NODES.textNode("x"))))).isNull());
  }

  @Test
  void anExceptionTheMethodThrowsErrsTheTaskWithItsSummaryAndItsFullTrace() {
    TaskRunner.Result r = run("java:demo.Calls::boom(Ljava/lang/String;)Ljava/lang/String;",
        frame(null, v(NODES.textNode("bang"))));
    String error = erred(r);
    assertTrue(error.startsWith("IllegalArgumentException: outer bang | at demo.Calls.boom(Calls.java:"), error);
    String trace = r.report().trace();
    assertNotNull(trace);
    assertTrue(trace.startsWith("java.lang.IllegalArgumentException: outer bang\n\tat demo.Calls.boom(Calls.java:"),
        trace);
    assertTrue(trace.contains("Caused by: java.lang.IllegalStateException: inner bang\n\tat demo.Calls.boom("), trace);
    assertFalse(trace.contains("org.tasklane.worker"), "the worker's own frames are cut: " + trace);
    assertFalse(trace.contains("jdk.internal.reflect"), trace);
  }

  @Test
  void aClassThatFailsToInitializeSaysSoWithItsCause() {
    TaskRunner.Result r = run("java:demo.BadInit::value()I", frame(null));
    String error = erred(r);
    assertTrue(error.startsWith("class demo.BadInit failed to initialize: NumberFormatException: For input string: "
        + "\"not a number\" | at "), error);
    assertTrue(r.report().trace().contains("at demo.BadInit.<clinit>(BadInit.java:"), r.report().trace());
    // the next task finds the class broken, and says so
    assertTrue(erred(run("java:demo.BadInit::value()I", frame(null))).startsWith(
        "class demo.BadInit failed to initialize: NoClassDefFoundError: Could not initialize class demo.BadInit"));
  }

  @Test
  void eachMistakeIsOneLineThatNamesIt() {
    assertEquals("class demo.Nope not found in the graph's jars (" + SHA + ")",
        erred(run("java:demo.Nope::f()V", frame(null))));
    assertEquals("class demo.Calls not found on the worker's classpath (the graph names no jars in \"code\")",
        erred(run("java:demo.Calls::twice(J)J", List.of(), List.of(frame(null, v(NODES.numberNode(1)))), List.of(),
            Map.of())));
    assertEquals("class demo.Calls has no method twice(I)J; it has twice(J)J",
        erred(run("java:demo.Calls::twice(I)J", frame(null, v(NODES.numberNode(1))))));
    assertEquals("class demo.Calls has no method thrice(J)J",
        erred(run("java:demo.Calls::thrice(J)J", frame(null, v(NODES.numberNode(1))))));
    assertEquals("the call frame of call-1 gives 2 params; demo.Calls::twice(J)J takes 1",
        erred(run("java:demo.Calls::twice(J)J", frame(null, v(NODES.numberNode(1)), v(NODES.numberNode(2))))));
    String badArg = erred(run("java:demo.Calls::twice(J)J", frame(null, v(NODES.textNode("many")))));
    assertTrue(badArg.startsWith("argument 1 of call-1: cannot decode a string as long"), badArg);
    String target = erred(run("java:demo.Calls$Scale::apply(J)J", frame(null, v(NODES.numberNode(1)))));
    assertEquals("demo.Calls$Scale::apply(J)J is an instance method: the call frame of call-1 needs a target "
        + "(the receiver)", target);
    assertEquals("demo.Calls::twice(J)J is static and takes no target, but the call frame of call-1 has one",
        erred(run("java:demo.Calls::twice(J)J", frame(v(NODES.objectNode()), v(NODES.numberNode(1))))));
    String result = erred(run("java:demo.Calls::opaque()Ljava/lang/Object;", frame(null)));
    assertTrue(result.startsWith("result of call-1: cannot encode a value of type java.lang.Object"), result);
    String notFrame = erred(run("java:demo.Calls::twice(J)J", List.of(SHA), List.of(NODES.numberNode(1)), List.of(),
        Map.of()));
    assertTrue(notFrame.startsWith("call-1: the first argument of a java: task must be its call frame"), notFrame);
    assertTrue(erred(run("java:demo.Calls", frame(null))).startsWith("call-1: 'java:demo.Calls' is not a Java function"));
    assertEquals("the call frame refers to args[2], but the task has 1 arguments",
        erred(run("java:demo.Calls::twice(J)J", frame(null, NODES.objectNode().put("r", 2)))).replace(
            "argument 1 of call-1: ", ""));
  }

  @Test
  void theWorkerKeepsRunningTasksAfterFailures() {
    List<TaskRunner.Result> results = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      results.add(run("java:demo.Nope::f()V", frame(null)));
      results.add(run("java:demo.Calls::twice(J)J", frame(null, v(NODES.numberNode(i)))));
    }
    assertEquals(List.of(0L, 2L, 4L), List.of(ok(results.get(1)).longValue(), ok(results.get(3)).longValue(),
        ok(results.get(5)).longValue()));
  }
}
