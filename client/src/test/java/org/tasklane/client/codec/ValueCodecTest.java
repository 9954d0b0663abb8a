package org.tasklane.client.codec;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValueCodecTest {
  private final ValueCodec codec = ValueCodec.standard();

  record Point(int x, int y) {}

  record Shape(String name, List<Point> points, Map<String, Long> tags, byte[] blob, Optional<String> note,
      Instant at) {}

  static final class Opaque {
    @SuppressWarnings("unused")
    private final Object lock = new Object();
  }

  static final class Node {
    public Node next;
  }

  /** What a value becomes after it crossed the wire between nodes (CBOR), as JSON values do. */
  private static JsonNode overCbor(JsonNode node) throws Exception {
    CBORMapper cbor = new CBORMapper();
    return cbor.readTree(cbor.writeValueAsBytes(node));
  }

  @Test
  void recordsRoundTripWithTheirDeclaredTypes() throws Exception {
    Shape s = new Shape("tri", List.of(new Point(1, 2), new Point(3, 4)), Map.of("a", 1L), new byte[] {1, 2, 3},
        Optional.of("n"), Instant.parse("2026-12-06T10:00:00Z"));
    Shape back = codec.decode(overCbor(codec.encode(s)), Shape.class);
    assertEquals(s.name(), back.name());
    assertEquals(s.points(), back.points());
    assertEquals(s.tags(), back.tags());
    assertArrayEquals(s.blob(), back.blob());
    assertEquals(s.note(), back.note());
    assertEquals(s.at(), back.at());
  }

  @Test
  void nestedGenericsDecodeIntoTheirElementTypes() {
    List<Map<String, Long>> value = List.of(Map.of("x", 1L), Map.of("y", 2L));
    Object back = codec.decode(codec.encode(value), new TypeReference<List<Map<String, Long>>>() {}.getType());
    assertEquals(value, back);
    @SuppressWarnings("unchecked")
    List<Map<String, Long>> typed = (List<Map<String, Long>>) back;
    assertInstanceOf(Long.class, typed.get(0).get("x")); // not an Integer: the declared type decides
    Object points = codec.decode(codec.encode(List.of(new Point(5, 6))),
        new TypeReference<List<Point>>() {}.getType());
    assertEquals(List.of(new Point(5, 6)), points);
  }

  @Test
  void bytesStayBinaryAndAlsoReadFromBase64Text() throws Exception {
    byte[] data = {0, -1, 127, 42};
    JsonNode node = overCbor(codec.encode(data));
    assertTrue(node.isBinary());
    assertArrayEquals(data, codec.decode(node, byte[].class));
    // over HTTP a result is JSON, where binary is base64 text
    JsonNode text = codec.mapper().readTree(codec.mapper().writeValueAsBytes(node));
    assertTrue(text.isTextual());
    assertArrayEquals(data, codec.decode(text, byte[].class));
  }

  @Test
  void nullsAreNullsExceptForPrimitives() {
    assertTrue(codec.encode(null).isNull());
    assertNull(codec.decode(codec.encode(null), String.class));
    assertNull(codec.decode(codec.encode(null), Point.class));
    ValueCodecException e = assertThrows(ValueCodecException.class, () -> codec.decode(codec.encode(null), int.class));
    assertTrue(e.getMessage().contains("int"), e.getMessage());
  }

  @Test
  void aValueThatCannotBeEncodedNamesItsType() {
    ValueCodecException e = assertThrows(ValueCodecException.class, () -> codec.encode(new Opaque()));
    assertTrue(e.getMessage().startsWith("cannot encode a value of type " + Opaque.class.getName()), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    Node loop = new Node();
    loop.next = loop;
    ValueCodecException cycle = assertThrows(ValueCodecException.class, () -> codec.encode(loop));
    assertTrue(cycle.getMessage().contains(Node.class.getName()), cycle.getMessage());
  }

  @Test
  void aValueOfTheWrongShapeNamesTheTypeItWasMeantFor() {
    ValueCodecException e = assertThrows(ValueCodecException.class,
        () -> codec.decode(codec.encode("not a point"), Point.class));
    assertTrue(e.getMessage().startsWith("cannot decode a string as " + Point.class.getName()), e.getMessage());
  }

  @Test
  void functionObjectsWithoutStateEncodeAsEmptyObjects() {
    assertEquals("{}", codec.encodeTarget(new Opaque()).toString());
  }
}
