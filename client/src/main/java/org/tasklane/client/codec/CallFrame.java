package org.tasklane.client.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * How a {@code java:} task's arguments become its method's parameters. A task's {@code args[0]} is
 * the frame; {@code args[1..n]} are {@code {"ref": KEY}} (the scheduler sees only top-level
 * references, so every result a call needs is listed there once). The frame says how to build each
 * parameter's JSON value from literals and those results, before it is decoded into the parameter's
 * declared type:
 *
 * <pre>
 * {"call": 1, "target": P, "targetClass": "com.example.Scale", "params": [P, ...]}
 * P := {"v": VALUE}            the literal JSON value
 *    | {"r": I}                the result referred to by args[I] (I &gt;= 1)
 *    | {"l": [P, ...]}         a JSON array of the parts (a List, Set or array parameter)
 *    | {"m": {"name": P, ...}} a JSON object of the parts (a Map or record parameter)
 * </pre>
 *
 * {@code target} is the receiver of an instance method (a function object, a bound method
 * reference's object, or the first argument of an unbound one), decoded into {@code targetClass}
 * (default: the method's class); static methods and constructors have none. Because the frame's
 * structure is separate from the values it holds, no user value can be mistaken for a reference.
 *
 * <p>{@link Builder} writes frames (the client); {@link #parse} reads them (the worker).
 */
public final class CallFrame {
  /** The frame format's version, the value of {@code "call"}. */
  public static final int VERSION = 1;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonNode target;
  private final String targetClass;
  private final List<JsonNode> params;

  private CallFrame(JsonNode target, String targetClass, List<JsonNode> params) {
    this.target = target;
    this.targetClass = targetClass;
    this.params = params;
  }

  /**
   * Reads a frame (a task's {@code args[0]}).
   *
   * @throws IllegalArgumentException with a one-line message if it is not a frame
   */
  public static CallFrame parse(JsonNode frame) {
    if (frame == null || !frame.isObject() || !frame.path("call").isInt()) {
      throw new IllegalArgumentException("the first argument of a java: task must be its call frame "
          + "{\"call\": 1, \"params\": [...]}");
    }
    if (frame.get("call").intValue() != VERSION) {
      throw new IllegalArgumentException("call frame version " + frame.get("call").intValue()
          + " is not understood by this worker (it reads version " + VERSION + ")");
    }
    JsonNode params = frame.get("params");
    if (params == null || !params.isArray()) {
      throw new IllegalArgumentException("the call frame has no \"params\" array");
    }
    List<JsonNode> list = new ArrayList<>(params.size());
    params.forEach(p -> list.add(checkPart(p)));
    JsonNode target = frame.get("target");
    if (target != null && !target.isNull()) {
      checkPart(target);
    } else {
      target = null;
    }
    JsonNode tc = frame.get("targetClass");
    return new CallFrame(target, tc != null && tc.isTextual() ? tc.textValue() : null, List.copyOf(list));
  }

  private static JsonNode checkPart(JsonNode p) {
    if (p == null || !p.isObject() || p.size() != 1
        || !(p.has("v") || (p.has("r") && p.get("r").isInt() && p.get("r").intValue() >= 1)
            || (p.has("l") && p.get("l").isArray()) || (p.has("m") && p.get("m").isObject()))) {
      throw new IllegalArgumentException("a call frame part must be {\"v\": VALUE}, {\"r\": INDEX >= 1}, "
          + "{\"l\": [...]} or {\"m\": {...}}");
    }
    if (p.has("l")) {
      p.get("l").forEach(CallFrame::checkPart);
    } else if (p.has("m")) {
      p.get("m").forEach(CallFrame::checkPart);
    }
    return p;
  }

  /** How many parameters the frame gives (the method's parameter count, receiver not included). */
  public int paramCount() {
    return params.size();
  }

  /**
   * Parameter {@code k}'s JSON value, {@code resolvedArg.apply(i)} giving the value of
   * {@code args[i]}'s result.
   */
  public JsonNode param(int k, IntFunction<JsonNode> resolvedArg) {
    return build(params.get(k), resolvedArg);
  }

  /** The receiver's JSON value, if the frame has one. */
  public Optional<JsonNode> target(IntFunction<JsonNode> resolvedArg) {
    return target == null ? Optional.empty() : Optional.of(build(target, resolvedArg));
  }

  /** The class to decode the receiver into, if the frame names one. */
  public Optional<String> targetClass() {
    return Optional.ofNullable(targetClass);
  }

  private static JsonNode build(JsonNode part, IntFunction<JsonNode> resolvedArg) {
    if (part.has("v")) {
      return part.get("v");
    }
    if (part.has("r")) {
      return resolvedArg.apply(part.get("r").intValue());
    }
    if (part.has("l")) {
      ArrayNode array = NODES.arrayNode(part.get("l").size());
      part.get("l").forEach(p -> array.add(build(p, resolvedArg)));
      return array;
    }
    ObjectNode object = NODES.objectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = part.get("m").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      object.set(f.getKey(), build(f.getValue(), resolvedArg));
    }
    return object;
  }

  /** Parts for {@link Builder}: literal values, references and lists or maps of them. */
  public static JsonNode literal(JsonNode value) {
    return NODES.objectNode().set("v", value);
  }

  /** The part for the result referred to by {@code args[index]}. */
  public static JsonNode reference(int index) {
    if (index < 1) {
      throw new IllegalArgumentException("args[0] is the frame itself: references start at 1");
    }
    return NODES.objectNode().put("r", index);
  }

  /** A part that is a JSON array of parts. */
  public static JsonNode list(List<JsonNode> parts) {
    ArrayNode array = NODES.arrayNode(parts.size());
    parts.forEach(array::add);
    return NODES.objectNode().set("l", array);
  }

  /** A part that is a JSON object of named parts. */
  public static JsonNode map(Map<String, JsonNode> parts) {
    ObjectNode object = NODES.objectNode();
    parts.forEach(object::set);
    return NODES.objectNode().set("m", object);
  }

  /** Writes a frame. */
  public static final class Builder {
    private JsonNode target;
    private String targetClass;
    private final List<JsonNode> params = new ArrayList<>();

    /** The receiver of an instance method, and the class to decode it into (null: the method's class). */
    public Builder target(JsonNode part, String className) {
      this.target = checkPart(part);
      this.targetClass = className;
      return this;
    }

    /** The next parameter. */
    public Builder param(JsonNode part) {
      params.add(checkPart(part));
      return this;
    }

    /** The frame as a JSON object. */
    public ObjectNode build() {
      ObjectNode frame = NODES.objectNode();
      frame.put("call", VERSION);
      if (target != null) {
        frame.set("target", target);
        if (targetClass != null) {
          frame.put("targetClass", targetClass);
        }
      }
      ArrayNode array = frame.putArray("params");
      params.forEach(array::add);
      return frame;
    }
  }
}
