package org.tasklane.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions between the JSON values that travel in messages and the Java values task functions see. */
public final class Values {
  private Values() {}

  /** Per container: a rough account of headers, pointers and separators. */
  private static final long CONTAINER_OVERHEAD = 8;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule());

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * A JSON value as a function argument: integral to {@link Long} (a {@link java.math.BigInteger}
   * if it does not fit), floating to {@link Double}, text to {@link String}, boolean to
   * {@link Boolean}, binary to {@code byte[]}, null (or missing) to {@code null}, array to a
   * {@code List<Object>}, object to a {@code Map<String, Object>} in field order.
   */
  public static Object toJava(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    switch (node.getNodeType()) {
      case NUMBER:
        if (node.isIntegralNumber()) {
          return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        return node.doubleValue();
      case STRING:
        return node.textValue();
      case BOOLEAN:
        return node.booleanValue();
      case BINARY:
        return ((BinaryNode) node).binaryValue();
      case ARRAY: {
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
          list.add(toJava(element));
        }
        return list;
      }
      case OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          map.put(field.getKey(), toJava(field.getValue()));
        }
        return map;
      }
      case POJO:
        return ((POJONode) node).getPojo();
      default:
        return null;
    }
  }

  /**
   * A function result as JSON: fast paths for null, {@link Long}, {@link Integer}, {@link Double},
   * {@link String}, {@link Boolean}, {@code byte[]} and {@link JsonNode}; lists, other collections
   * and maps element by element; anything else through Jackson's {@code valueToTree}.
   *
   * @throws IllegalArgumentException if Jackson cannot convert the value
   */
  public static JsonNode toJson(Object value) {
    if (value == null) {
      return NullNode.getInstance();
    } else if (value instanceof Long l) {
      return LongNode.valueOf(l);
    } else if (value instanceof Integer i) {
      return IntNode.valueOf(i);
    } else if (value instanceof Double d) {
      return DoubleNode.valueOf(d);
    } else if (value instanceof String s) {
      return TextNode.valueOf(s);
    } else if (value instanceof Boolean b) {
      return BooleanNode.valueOf(b);
    } else if (value instanceof byte[] bytes) {
      return BinaryNode.valueOf(bytes);
    } else if (value instanceof JsonNode node) {
      return node;
    } else if (value instanceof Collection<?> collection) {
      ArrayNode array = NODES.arrayNode(collection.size());
      for (Object element : collection) {
        array.add(toJson(element));
      }
      return array;
    } else if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        object.set(String.valueOf(entry.getKey()), toJson(entry.getValue()));
      }
      return object;
    }
    return MAPPER.valueToTree(value);
  }

  /**
   * The approximate size of a value in memory and on the wire: binary its length, text its UTF-8
   * length, a number 8, a boolean or null 1, a container the sum of its parts plus a little.
   */
  public static long sizeOf(JsonNode node) {
    if (node == null) {
      return 1;
    }
    switch (node.getNodeType()) {
      case BINARY:
        return ((BinaryNode) node).binaryValue().length;
      case STRING:
        return utf8Length(node.textValue());
      case NUMBER:
        return 8;
      case ARRAY: {
        long total = CONTAINER_OVERHEAD;
        for (JsonNode element : node) {
          total += sizeOf(element);
        }
        return total;
      }
      case OBJECT: {
        long total = CONTAINER_OVERHEAD;
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          total += utf8Length(field.getKey()) + sizeOf(field.getValue());
        }
        return total;
      }
      default:
        return 1;
    }
  }

  /** The number of bytes of this text in UTF-8 (a surrogate pair counts 4). */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800 || Character.isSurrogate(c)) {
        n += 2;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
