package org.tasklane.client.codec;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallFrameTest {

  @Test
  void partsBuildEachParameterFromLiteralsAndResults() {
    JsonNode frame = new CallFrame.Builder()
        .target(CallFrame.literal(TextNode.valueOf("self")), "com.example.Scale")
        .param(CallFrame.literal(IntNode.valueOf(7)))
        .param(CallFrame.list(List.of(CallFrame.reference(1), CallFrame.literal(IntNode.valueOf(0)),
            CallFrame.reference(2))))
        .param(CallFrame.map(Map.of("a", CallFrame.reference(2))))
        .build();
    CallFrame f = CallFrame.parse(frame);
    JsonNode[] resolved = {null, IntNode.valueOf(10), IntNode.valueOf(20)};
    assertEquals(3, f.paramCount());
    assertEquals("7", f.param(0, i -> resolved[i]).toString());
    assertEquals("[10,0,20]", f.param(1, i -> resolved[i]).toString());
    assertEquals("{\"a\":20}", f.param(2, i -> resolved[i]).toString());
    assertEquals("\"self\"", f.target(i -> resolved[i]).orElseThrow().toString());
    assertEquals("com.example.Scale", f.targetClass().orElseThrow());
  }

  @Test
  void aUserValueShapedLikeAReferenceStaysAValue() {
    JsonNode lookalike = CallFrame.literal(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("r", 1));
    CallFrame f = CallFrame.parse(new CallFrame.Builder().param(lookalike).build());
    assertEquals("{\"r\":1}", f.param(0, i -> { throw new AssertionError("not a reference"); }).toString());
    assertTrue(f.target(i -> null).isEmpty());
  }

  @Test
  void whatIsNotAFrameIsRefusedInOneLine() {
    var m = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThrows(IllegalArgumentException.class, () -> CallFrame.parse(TextNode.valueOf("x")));
    assertThrows(IllegalArgumentException.class, () -> CallFrame.parse(m.createObjectNode().put("call", 2)));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> CallFrame.parse(
        m.createObjectNode().put("call", 1).set("params", m.createArrayNode().add(m.createObjectNode().put("r", 0)))));
    assertFalse(bad.getMessage().contains("\n"));
  }

  @Test
  void functionNamesRoundTripAndShowAsClassDotMethod() {
    JavaFunctionName n = JavaFunctionName.parse("java:com.example.WordCount::count(Ljava/lang/String;)Ljava/util/Map;");
    assertEquals("com.example.WordCount", n.className());
    assertEquals("count", n.methodName());
    assertEquals("(Ljava/lang/String;)Ljava/util/Map;", n.descriptor());
    assertEquals("java:com.example.WordCount::count(Ljava/lang/String;)Ljava/util/Map;", n.fn());
    assertEquals("WordCount.count", n.displayName());
    assertEquals("Main.lambda", new JavaFunctionName("a.Main", "lambda$main$0", "()V").displayName());
    assertEquals("Inner.new", new JavaFunctionName("a.Outer$Inner", "<init>", "()V").displayName());
    assertFalse(JavaFunctionName.isJava("inc"));
    assertThrows(IllegalArgumentException.class, () -> JavaFunctionName.parse("java:nope"));
  }
}
