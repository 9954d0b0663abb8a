package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Point(int x, String label) {}

  @Test
  void scalarsToJava() {
    assertEquals(5L, Values.toJava(IntNode.valueOf(5)));
    assertInstanceOf(Long.class, Values.toJava(IntNode.valueOf(5)));
    assertEquals(Long.MAX_VALUE, Values.toJava(LongNode.valueOf(Long.MAX_VALUE)));
    BigInteger huge = BigInteger.TEN.pow(30);
    assertEquals(huge, Values.toJava(BigIntegerNode.valueOf(huge)));
    assertEquals(1.5, Values.toJava(DoubleNode.valueOf(1.5)));
    assertInstanceOf(Double.class, Values.toJava(DoubleNode.valueOf(1.5)));
    assertEquals("hi", Values.toJava(TextNode.valueOf("hi")));
    assertEquals(Boolean.TRUE, Values.toJava(BooleanNode.TRUE));
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) Values.toJava(BinaryNode.valueOf(new byte[] {1, 2, 3})));
    assertNull(Values.toJava(NullNode.getInstance()));
    assertNull(Values.toJava(MissingNode.getInstance()));
    assertNull(Values.toJava(null));
  }

  @Test
  void containersToJava() throws Exception {
    Object list = Values.toJava(JSON.readTree("[1, \"a\", [2.5, null], {\"k\": true}]"));
    assertEquals(Arrays.asList(1L, "a", Arrays.asList(2.5, null), Map.of("k", true)), list);

    Object map = Values.toJava(JSON.readTree("{\"b\": 1, \"a\": [\"x\"]}"));
    assertInstanceOf(Map.class, map);
    assertEquals(List.of("b", "a"), new ArrayList<>(((Map<?, ?>) map).keySet()), "field order is kept");
    assertEquals(Map.of("b", 1L, "a", List.of("x")), map);
  }

  @Test
  void scalarsToJson() {
    assertEquals(LongNode.valueOf(7), Values.toJson(7L));
    assertEquals(IntNode.valueOf(7), Values.toJson(7));
    assertEquals(DoubleNode.valueOf(0.25), Values.toJson(0.25));
    assertEquals(TextNode.valueOf("x"), Values.toJson("x"));
    assertEquals(BooleanNode.FALSE, Values.toJson(false));
    assertEquals(NullNode.getInstance(), Values.toJson(null));
    JsonNode binary = Values.toJson(new byte[] {9, 8});
    assertEquals(JsonNodeType.BINARY, binary.getNodeType());
    assertArrayEquals(new byte[] {9, 8}, ((BinaryNode) binary).binaryValue());
    JsonNode node = TextNode.valueOf("same");
    assertSame(node, Values.toJson(node));
  }

  @Test
  void containersAndOtherObjectsToJson() throws Exception {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("n", 1L);
    map.put("list", Arrays.asList("a", null, List.of(2.0)));
    JsonNode json = Values.toJson(map);
    assertEquals("{\"n\":1,\"list\":[\"a\",null,[2.0]]}", json.toString());
    assertEquals(LongNode.valueOf(1), json.get("n"));
    assertEquals(JSON.readTree("{\"x\": 3, \"label\": \"p\"}"), Values.toJson(new Point(3, "p")));
    assertEquals(JSON.readTree("[1, 2]"), Values.toJson(new int[] {1, 2}));
  }

  @Test
  void javaToJsonAndBackKeepsTheValue() {
    List<Object> value = Arrays.asList(1L, "two", 3.5, true, null, Map.of("k", List.of(4L)));
    assertEquals(value, Values.toJava(Values.toJson(value)));
  }

  @Test
  void sizes() throws Exception {
    assertEquals(100, Values.sizeOf(BinaryNode.valueOf(new byte[100])));
    assertEquals(3, Values.sizeOf(TextNode.valueOf("abc")));
    assertEquals(2, Values.sizeOf(TextNode.valueOf("é")));
    assertEquals(3, Values.sizeOf(TextNode.valueOf("€")));
    assertEquals(4, Values.sizeOf(TextNode.valueOf("😀")));
    assertEquals(8, Values.sizeOf(LongNode.valueOf(1)));
    assertEquals(8, Values.sizeOf(DoubleNode.valueOf(1)));
    assertEquals(1, Values.sizeOf(NullNode.getInstance()));
    assertEquals(8 + 8 + 8, Values.sizeOf(JSON.readTree("[1, 2]")));
    assertEquals(8 + 2 + 8, Values.sizeOf(JSON.readTree("{\"ab\": 1}")));
    assertEquals(8 + (8 + 5), Values.sizeOf(JSON.readTree("[[\"hello\"]]")));
  }
}
