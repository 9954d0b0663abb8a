package org.tasklane.client;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.client.codec.CallFrame;
import org.tasklane.client.codec.JavaFunctionName;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

class GraphTest {

  static Map<String, Long> count(String text) {
    return Map.of(text, 1L);
  }

  static Map<String, Long> merge(List<Map<String, Long>> parts) {
    return Map.of();
  }

  record Scale(double factor) implements Fn1<Double, Double> {
    @Override
    public Double apply(Double x) {
      return x * factor;
    }
  }

  record Point(int x, int y) {
    int sum() {
      return x + y;
    }
  }

  @Test
  void aStaticMethodReferenceBecomesAJavaTaskGroupedByItsName() {
    Graph g = Graph.named("wc");
    Ref<Map<String, Long>> a = g.call(GraphTest::count, "a b");
    GraphSpec spec = g.toSpec(List.of(a), List.of());
    TaskSpec t = spec.tasks().get(0);
    JavaFunctionName fn = JavaFunctionName.parse(t.fn());
    assertEquals(GraphTest.class.getName(), fn.className());
    assertEquals("count", fn.methodName());
    assertEquals("(Ljava/lang/String;)Ljava/util/Map;", fn.descriptor());
    assertEquals("GraphTest.count", t.group());
    assertEquals(List.of(a.key()), spec.want());
    CallFrame frame = CallFrame.parse(t.args().get(0));
    assertEquals("\"a b\"", frame.param(0, i -> null).toString());
    assertTrue(frame.target(i -> null).isEmpty());
    // the declared generic result type is what the future decodes into
    assertEquals("java.util.Map<java.lang.String, java.lang.Long>", a.type().getTypeName());
  }

  @Test
  void aListOfRefsBecomesOneListParameterReadingEachResult() {
    Graph g = Graph.named("wc");
    List<Ref<Map<String, Long>>> counts = List.of(g.call(GraphTest::count, "x"), g.call(GraphTest::count, "y"));
    Ref<Map<String, Long>> total = g.call(GraphTest::merge, counts).retries(2).timeout(Duration.ofMillis(1500));
    TaskSpec t = g.toSpec(List.of(total), List.of()).tasks().get(2);
    assertEquals("{\"ref\":\"" + counts.get(0).key() + "\"}", t.args().get(1).toString());
    assertEquals("{\"ref\":\"" + counts.get(1).key() + "\"}", t.args().get(2).toString());
    JsonNode[] values = {null, com.fasterxml.jackson.databind.node.TextNode.valueOf("X"),
        com.fasterxml.jackson.databind.node.TextNode.valueOf("Y")};
    assertEquals("[\"X\",\"Y\"]", CallFrame.parse(t.args().get(0)).param(0, i -> values[i]).toString());
    assertEquals(2, t.retries());
    assertEquals(1.5, t.timeout());
  }

  @Test
  void aFunctionObjectTravelsAsTheReceiverWithItsState() {
    Graph g = Graph.named("scale");
    Ref<Double> r = g.call(new Scale(2.5), 4.0);
    TaskSpec t = g.toSpec(List.of(r), List.of()).tasks().get(0);
    assertEquals("apply", JavaFunctionName.parse(t.fn()).methodName());
    CallFrame frame = CallFrame.parse(t.args().get(0));
    assertEquals("{\"factor\":2.5}", frame.target(i -> null).orElseThrow().toString());
    assertEquals(Scale.class.getName(), frame.targetClass().orElseThrow());
    assertTrue(g.classes().contains(Scale.class));
  }

  @Test
  void capturingLambdasAndUnboundReferencesPassTheirValuesAsParameters() {
    Graph g = Graph.named("lambdas");
    int offset = 7;
    Ref<Integer> plus = g.call((Integer x) -> x + offset, 1);
    Ref<Integer> sum = g.call(Point::sum, new Point(1, 2));
    List<TaskSpec> tasks = g.toSpec(List.of(plus, sum), List.of()).tasks();
    CallFrame lambda = CallFrame.parse(tasks.get(0).args().get(0));
    assertEquals(2, lambda.paramCount()); // the captured offset, then x
    assertEquals("7", lambda.param(0, i -> null).toString());
    assertEquals("GraphTest.lambda", tasks.get(0).group());
    CallFrame unbound = CallFrame.parse(tasks.get(1).args().get(0));
    assertEquals("{\"x\":1,\"y\":2}", unbound.target(i -> null).orElseThrow().toString());
    assertEquals(0, unbound.paramCount());
  }

  @Test
  void badArgumentsAndForeignRefsAreRefusedWhereTheyAreMade() {
    Graph g = Graph.named("a");
    Graph other = Graph.named("b");
    Ref<Map<String, Long>> foreign = other.call(GraphTest::count, "z");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> g.call(GraphTest::merge, List.of(foreign)));
    assertTrue(e.getMessage().contains("belongs to graph 'b'"), e.getMessage());
    IllegalArgumentException enc = assertThrows(IllegalArgumentException.class,
        () -> g.call(GraphTest::count, (Object) new Object()));
    assertTrue(enc.getMessage().startsWith("argument 1 of GraphTest.count: cannot encode a value of type java.lang.Object"),
        enc.getMessage());
  }

  @Test
  void aClassesFolderPacksToTheSameBytesEveryTime(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/b/C.class"), "c");
    Files.writeString(dir.resolve("a/D.class"), "d");
    byte[] first = CodeBundle.pack(dir);
    Files.setLastModifiedTime(dir.resolve("a/D.class"), java.nio.file.attribute.FileTime.fromMillis(0));
    assertArrayEquals(first, CodeBundle.pack(dir));
    assertEquals(64, CodeBundle.sha256(first).length());
    // this test's own classes are not on a worker: their folder is shipped; the client's are not
    CodeBundle bundle = new CodeBundle(CodeBundle.workerClasspath());
    assertEquals(1, bundle.jarsFor(java.util.Set.of(GraphTest.class, Tasklane.class, String.class), List.of()).size());
  }
}
