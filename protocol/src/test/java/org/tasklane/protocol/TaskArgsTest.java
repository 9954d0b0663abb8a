package org.tasklane.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task arguments kept as text: what is read, what is found without decoding, and the ways in and out. */
class TaskArgsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static TaskArgs read(String json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      return TaskArgs.read(p);
    }
  }

  @Test
  void keepsCompactTextAndDecodesToTheSameNodes() throws IOException {
    String given = "[1, 12345678901, 1.5, \"x\", null, true, {\"a\": [1, {\"b\": \"c\"}]}, [], {}]";
    TaskArgs args = read(given);
    assertEquals(JSON.readTree(given).toString(), args.toString());
    assertEquals(9, args.size());
    assertEquals(List.of(), args.refs());
    assertNull(args.notUnicode());
    List<JsonNode> decoded = args.decode();
    assertEquals(12345678901L, decoded.get(1).longValue());
    assertTrue(decoded.get(2).isDouble());
    int i = 0;
    for (JsonNode expected : JSON.readTree(given)) {
      assertEquals(expected, decoded.get(i++));
    }
  }

  @Test
  void findsTopLevelReferencesOnlyInOrderWithRepeats() throws IOException {
    TaskArgs args = read("[{\"ref\": \"a\"}, 3, {\"ref\": \"b\"}, {\"ref\": \"a\"}, [{\"ref\": \"nested\"}],"
        + " {\"x\": {\"ref\": \"deep\"}}, {\"ref\": 7}, {\"ref\": \"c\", \"and\": 1}, {\"x\": 1, \"ref\": \"d\"}]");
    assertEquals(List.of("a", "b", "a"), args.refs());
    assertEquals(9, args.size());
    // what is not a reference is kept as it was
    assertEquals("{\"ref\":\"c\",\"and\":1}", args.decode().get(7).toString());
    assertEquals("{\"ref\":7}", args.decode().get(6).toString());
  }

  @Test
  void aStringThatIsNotUnicodeIsNotedAndStoredWithAReplacement() throws IOException {
    TaskArgs args = read("[\"ok\", {\"bad\\ud800key\": [\"fine\", \"lone \\udc00 low\"]}]");
    assertEquals("bad\ud800key", args.notUnicode());
    assertEquals("{\"bad\uFFFDkey\":[\"fine\",\"lone \uFFFD low\"]}", args.decode().get(1).toString());
    // a pair is fine
    assertNull(read("[\"\\ud83d\\ude00\"]").notUnicode());
  }

  @Test
  void fromAListOfNodesJavaNullIsJsonNull() {
    TaskArgs args = TaskArgs.of(Arrays.asList(NODES.numberNode(1), null, NODES.objectNode().put("ref", "k")));
    assertEquals("[1,null,{\"ref\":\"k\"}]", args.toString());
    assertEquals(List.of("k"), args.refs());
    assertSame(args, TaskArgs.of(args));
    assertSame(TaskArgs.EMPTY, TaskArgs.of(List.of()));
    assertEquals(List.of(NODES.numberNode(1), NODES.nullNode(), NODES.objectNode().put("ref", "k")), args);
  }

  @Test
  void aTaskSpecWritesAndReadsItsArgumentsAsAJsonArray() throws IOException {
    String json = "{\"key\":\"t\",\"fn\":\"sum\",\"args\":[{\"ref\":\"a\"},[1,2],\"s\"]}";
    TaskSpec spec = JSON.readValue(json, TaskSpec.class);
    assertTrue(spec.args() instanceof TaskArgs);
    assertEquals(List.of("a"), spec.refs());
    assertEquals(json, JSON.writeValueAsString(spec));
    assertEquals(spec, JSON.readValue(JSON.writeValueAsString(spec), TaskSpec.class));
  }

  @Test
  void betweenNodesTheTextGoesAsOneByteStringAndIsCountedOnFirstUse() throws IOException {
    CBORMapper cbor = new CBORMapper();
    TaskSpec spec = new TaskSpec("t", "sum", List.of(NODES.objectNode().put("ref", "a"), NODES.numberNode(2)), null);
    byte[] bytes = cbor.writeValueAsBytes(spec);
    JsonNode tree = cbor.readTree(bytes);
    assertTrue(tree.get("args").isBinary(), "args go as a byte string: " + tree);
    assertArrayEquals("[{\"ref\":\"a\"},2]".getBytes(StandardCharsets.UTF_8), tree.get("args").binaryValue());
    TaskSpec back = cbor.readValue(bytes, TaskSpec.class);
    assertEquals(List.of("a"), back.refs());
    assertEquals(2, back.argsOrEmpty().size());
    assertEquals(spec, back);
  }

  @Test
  void malformedTextIsAnError() {
    assertThrows(JsonProcessingException.class, () -> read("[1, {\"a\": ]"));
    assertThrows(IllegalArgumentException.class, () -> TaskArgs.ofJson("[1,".getBytes(StandardCharsets.UTF_8)).size());
    // a JSON string is not an argument list (nor base64 of one)
    assertThrows(JsonProcessingException.class,
        () -> JSON.readValue("{\"key\":\"t\",\"fn\":\"f\",\"args\":\"WzFd\"}", TaskSpec.class));
  }

  @Test
  void oneCopierReadsListAfterListAsEachWouldReadAloneAndGoesOnAfterABadOne() throws IOException {
    List<String> lists = List.of("[1, {\"ref\": \"a\"}, \"x\"]", "[]", "[{\"ref\": \"b\"}, [2, 3], {\"k\": null}]",
        "[\"\\ud800\"]", "[12345678901, 1.5, true]");
    // the lists as a graph body holds them: one array of arrays, read through one parser
    try (JsonParser p = JSON.createParser("[" + String.join(", ", lists) + ", [1, 2, {\"bad\" 3}], [7]]");
        TaskArgs.Copier copier = new TaskArgs.Copier()) {
      p.nextToken();
      for (String list : lists) {
        p.nextToken();
        TaskArgs copied = copier.read(p);
        TaskArgs alone = read(list);
        assertArrayEquals(alone.json(), copied.json(), list);
        assertEquals(alone.refs(), copied.refs());
        assertEquals(alone.size(), copied.size());
        assertEquals(alone.notUnicode(), copied.notUnicode());
      }
      p.nextToken();
      assertThrows(JsonProcessingException.class, () -> copier.read(p));
    }
    // after a list that did not parse, the copier starts the next one clean
    try (JsonParser bad = JSON.createParser("[1, {\"bad\" 3}]"); JsonParser good = JSON.createParser("[7, \"y\"]");
        TaskArgs.Copier copier = new TaskArgs.Copier()) {
      bad.nextToken();
      assertThrows(JsonProcessingException.class, () -> copier.read(bad));
      good.nextToken();
      assertEquals("[7,\"y\"]", new String(copier.read(good).json(), StandardCharsets.UTF_8));
    }
  }
}
