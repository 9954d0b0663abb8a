package org.tasklane.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphValidator.ErrorCode;
import org.tasklane.protocol.GraphValidator.Invalid;
import org.tasklane.protocol.GraphValidator.Limits;
import org.tasklane.protocol.GraphValidator.Valid;

class GraphValidatorTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final GraphValidator validator = new GraphValidator(MAPPER);

  // ---- helpers ----

  /** Parses JSON written with single quotes for readability. */
  private GraphValidator.Result parse(GraphValidator v, String json) {
    return v.parseAndValidate(json.replace('\'', '"').getBytes(UTF_8));
  }

  private Invalid rejected(GraphValidator.Result result, ErrorCode code) {
    Invalid invalid = assertInstanceOf(Invalid.class, result, () -> "expected a rejection, got " + result);
    assertEquals(code, invalid.code(), invalid::error);
    assertFalse(invalid.error().contains("\n"), "one line: " + invalid.error());
    return invalid;
  }

  private void assertMalformed(String json, String message) {
    assertEquals(message, rejected(parse(validator, json), ErrorCode.MALFORMED).error());
  }

  private void assertInvalid(String json, String message) {
    assertEquals(message, rejected(parse(validator, json), ErrorCode.INVALID).error());
  }

  private static TaskSpec task(String key, String fn, Object... args) {
    List<JsonNode> nodes = new ArrayList<>();
    for (Object a : args) {
      nodes.add(a instanceof JsonNode n ? n : MAPPER.valueToTree(a));
    }
    return new TaskSpec(key, fn, nodes, null);
  }

  private static JsonNode ref(String key) {
    return NODES.objectNode().put("ref", key);
  }

  /** Asserts every task comes after the tasks it refers to. */
  private static void assertTopological(GraphSpec graph, int[] order) {
    List<TaskSpec> tasks = graph.tasks();
    assertEquals(tasks.size(), order.length);
    java.util.Map<String, Integer> position = new java.util.HashMap<>();
    for (int p = 0; p < order.length; p++) {
      position.put(tasks.get(order[p]).key(), p);
    }
    assertEquals(tasks.size(), position.size(), "each task once");
    for (TaskSpec t : tasks) {
      for (String r : t.refs()) {
        assertTrue(position.get(r) < position.get(t.key()), t.key() + " after " + r);
      }
    }
  }

  // ---- malformed JSON ----

  @Test
  void malformedJsonNamesLineAndColumnOnOneLine() {
    String json = "{'tasks': [\n  {'key': 'a', 'fn': 'inc'},\n  {'key': 'b',}\n]}";
    String error = rejected(parse(validator, json), ErrorCode.MALFORMED).error();
    assertTrue(error.startsWith("malformed JSON at line 3, column 15: Unexpected character ('}'"), error);
    assertFalse(error.contains("Source"), error);
  }

  @Test
  void truncatedJson() {
    String error = rejected(parse(validator, "{'tasks': [{'key': 'a'"), ErrorCode.MALFORMED).error();
    assertTrue(error.startsWith("malformed JSON at line 1, column "), error);
    assertTrue(error.contains("end-of-input"), error);
  }

  @Test
  void contentAfterTheGraph() {
    assertMalformed("{'tasks': [{'key': 'a', 'fn': 'inc'}]} {}",
        "malformed JSON at line 1, column 40: unexpected content after the graph object");
  }

  @Test
  void emptyBody() {
    assertMalformed(" ", "the body is empty; send a graph object like "
        + "{\"tasks\": [{\"key\": \"a\", \"fn\": \"inc\", \"args\": [1]}]}");
  }

  // ---- shape ----

  @Test
  void graphMustBeAnObject() {
    assertMalformed("[1, 2]", "the graph must be a JSON object like {\"tasks\": [...]}, not an array");
    assertMalformed("'x'", "the graph must be a JSON object like {\"tasks\": [...]}, not a string");
  }

  @Test
  void tasksMustBeAnArrayOfObjects() {
    assertMalformed("{'tasks': {'key': 'a'}}", "\"tasks\" must be an array of task objects");
    assertMalformed("{'tasks': 'a'}", "\"tasks\" must be an array of task objects");
    assertMalformed("{'tasks': [{'key': 'a', 'fn': 'inc'}, 7]}",
        "task #1 must be an object like {\"key\": \"a\", \"fn\": \"inc\", \"args\": [1]}, not a number");
  }

  @Test
  void keyMustBeANonEmptyString() {
    String message = "task #1: \"key\" must be a non-empty string";
    assertMalformed("{'tasks': [{'key': 'a', 'fn': 'inc'}, {'key': 5, 'fn': 'inc'}]}", message);
    assertMalformed("{'tasks': [{'key': 'a', 'fn': 'inc'}, {'key': '', 'fn': 'inc'}]}", message);
    assertMalformed("{'tasks': [{'key': 'a', 'fn': 'inc'}, {'fn': 'inc'}]}", message);
    assertMalformed("{'tasks': [{'key': 'a', 'fn': 'inc'}, {'key': null, 'fn': 'inc'}]}", message);
    assertMalformed("{'tasks': [{'key': 'a', 'fn': 'inc'}, {'key': ['a'], 'fn': 'inc'}]}", message);
  }

  @Test
  void fnMustBeANonEmptyStringWhateverTheFieldOrder() {
    String message = "task 'x': \"fn\" must be a non-empty string";
    assertMalformed("{'tasks': [{'key': 'x', 'fn': 3}]}", message);
    assertMalformed("{'tasks': [{'fn': 3, 'key': 'x'}]}", message);
    assertMalformed("{'tasks': [{'key': 'x', 'fn': ''}]}", message);
    assertMalformed("{'tasks': [{'key': 'x'}]}", message);
  }

  @Test
  void argsMustBeAnArrayAndGroupAString() {
    assertMalformed("{'tasks': [{'key': 'x', 'fn': 'inc', 'args': 1}]}", "task 'x': \"args\" must be an array");
    assertMalformed("{'tasks': [{'args': {'ref': 'y'}, 'key': 'x', 'fn': 'inc'}]}",
        "task 'x': \"args\" must be an array");
    assertMalformed("{'tasks': [{'key': 'x', 'fn': 'inc', 'group': 2}]}", "task 'x': \"group\" must be a string");
  }

  @Test
  void unknownFields() {
    assertMalformed("{'taks': []}", "unknown field \"taks\" in graph; known fields: name, tasks, want, code");
    assertMalformed("{'tasks': [{'key': 'x', 'fn': 'inc', 'grup': 'g'}]}",
        "unknown field \"grup\" in task 'x'; known fields: key, fn, args, group, retries, timeout");
    assertMalformed("{'tasks': [{'kye': 'x', 'fn': 'inc'}]}",
        "unknown field \"kye\" in task #0; known fields: key, fn, args, group, retries, timeout");
  }

  @Test
  void repeatedFields() {
    assertMalformed("{'tasks': [], 'tasks': []}", "field \"tasks\" appears twice in graph");
    assertMalformed("{'tasks': [{'key': 'x', 'fn': 'inc', 'fn': 'dec'}]}", "field \"fn\" appears twice in task 'x'");
  }

  @Test
  void nameAndWantTypes() {
    assertMalformed("{'name': 1, 'tasks': []}", "\"name\" must be a string");
    assertMalformed("{'tasks': [{'key': 'x', 'fn': 'inc'}], 'want': 'x'}",
        "\"want\" must be an array of task keys (strings)");
    assertMalformed("{'tasks': [{'key': 'x', 'fn': 'inc'}], 'want': ['x', 1]}",
        "\"want\" must be an array of task keys (strings)");
  }

  @Test
  void aTaskBuiltInCodeIsCheckedToo() {
    assertEquals("task #1: \"key\" must be a non-empty string", rejected(validator.validate(
        new GraphSpec(null, List.of(task("a", "inc"), task(null, "inc")), null)), ErrorCode.MALFORMED).error());
    assertEquals("task 'b': \"fn\" must be a non-empty string", rejected(validator.validate(
        new GraphSpec(null, List.of(task("a", "inc"), task("b", "")), null)), ErrorCode.MALFORMED).error());
  }

  // ---- semantics ----

  @Test
  void emptyGraph() {
    String message = "the graph has no tasks; give at least one task in \"tasks\"";
    assertInvalid("{'tasks': []}", message);
    assertInvalid("{}", message);
    assertInvalid("{'name': 'x', 'tasks': null}", message);
    assertEquals(message, rejected(validator.validate(null), ErrorCode.INVALID).error());
  }

  @Test
  void duplicateKeyNamesBothPositions() {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      tasks.add(task(i == 3 || i == 7 ? "load-1" : "other-" + i, "inc", i));
    }
    assertEquals("duplicate key 'load-1' (tasks #3 and #7)",
        rejected(validator.validate(new GraphSpec(null, tasks, null)), ErrorCode.INVALID).error());
  }

  @Test
  void referenceToAMissingKey() {
    assertInvalid("{'tasks': [{'key': 'load-0', 'fn': 'inc', 'args': [1]},"
            + " {'key': 'total', 'fn': 'sum', 'args': [{'ref': 'load-0'}, {'ref': 'load-9'}]}]}",
        "task 'total' refers to missing key 'load-9'");
  }

  @Test
  void wantNamesAMissingKey() {
    assertInvalid("{'tasks': [{'key': 'a', 'fn': 'inc'}], 'want': ['a', 'x']}", "\"want\" names missing key 'x'");
  }

  @Test
  void selfReference() {
    assertInvalid("{'tasks': [{'key': 'a', 'fn': 'inc', 'args': [1, {'ref': 'a'}]}]}",
        "cycle: a -> a (task 'a' refers to itself)");
  }

  @Test
  void cycleNamesTheKeysOnIt() {
    // d refers to the cycle but is not on it; the cycle is reported from its earliest task
    assertInvalid("{'tasks': ["
            + "{'key': 'd', 'fn': 'inc', 'args': [{'ref': 'a'}]},"
            + "{'key': 'a', 'fn': 'inc', 'args': [{'ref': 'b'}]},"
            + "{'key': 'b', 'fn': 'inc', 'args': [{'ref': 'c'}]},"
            + "{'key': 'c', 'fn': 'inc', 'args': [{'ref': 'a'}]},"
            + "{'key': 'e', 'fn': 'inc', 'args': [1]}]}",
        "cycle: a -> b -> c -> a (3 keys; each task refers to the next: remove one of these references)");
  }

  @Test
  void keyTooLong() {
    String key = "k".repeat(1025);
    assertInvalid("{'tasks': [{'key': '" + key + "', 'fn': 'inc'}]}",
        "task #0: \"key\" is 1025 characters long; the limit is 1024");
    assertTrue(validator.parseAndValidate(("{\"tasks\": [{\"key\": \"" + "k".repeat(1024) + "\", \"fn\": \"inc\"}]}")
        .getBytes(UTF_8)) instanceof Valid);
    assertInvalid("{'tasks': [{'key': 'a', 'fn': 'inc', 'group': '" + key + "'}]}",
        "task 'a': \"group\" is 1025 characters long; the limit is 1024");
  }

  @Test
  void tooManyTasksWhenParsingAndWhenValidating() {
    GraphValidator small = new GraphValidator(MAPPER, new Limits(3, 1024, 10));
    String json = "{'tasks': [{'key': 'a', 'fn': 'f'}, {'key': 'b', 'fn': 'f'}, {'key': 'c', 'fn': 'f'},"
        + " {'key': 'd', 'fn': 'f'}, {'key': 'e', 'fn': 'f', 'args': [[1, {'x': [2]}]]}]}";
    // the tasks past the limit are counted, not kept
    assertEquals("the graph has 5 tasks, more than the limit of 3; split the work into several graphs",
        rejected(parse(small, json), ErrorCode.INVALID).error());
    List<TaskSpec> four = List.of(task("a", "f"), task("b", "f"), task("c", "f"), task("d", "f"));
    assertEquals("the graph has 4 tasks, more than the limit of 3; split the work into several graphs",
        rejected(small.validate(new GraphSpec(null, four, null)), ErrorCode.INVALID).error());
    assertInstanceOf(Valid.class, small.validate(new GraphSpec(null, four.subList(0, 3), null)));
    // malformed past the limit: as many as could be counted
    assertEquals("the graph has at least 4 tasks, more than the limit of 3; split the work into several graphs",
        rejected(parse(small, json.substring(0, json.indexOf("{'key': 'e'")) + "{'key': "), ErrorCode.INVALID)
            .error());
    // where the limit comes from, and how to raise it
    GraphValidator advised = new GraphValidator(MAPPER, small.limits().withMaxTasks(2, "raise it with X"));
    assertEquals("the graph has 5 tasks, more than the limit of 2; raise it with X",
        rejected(parse(advised, json), ErrorCode.INVALID).error());
  }

  @Test
  void textThatIsNotUnicodeIsRefusedWhereverItIs() {
    // JSON's \\u escapes can write half a surrogate pair; no UTF-8 or CBOR writer can write it back
    String bad = "\\ud800";
    String suffix = " has an unpaired surrogate (\\ud800) at character 2; text must be valid Unicode (a \\uD800-\\uDBFF "
        + "escape must be followed by a \\uDC00-\\uDFFF one)";
    assertEquals("task #0: \"key\" 'a-\\ud800'" + suffix,
        rejected(parse(validator, "{'tasks': [{'key': 'a-" + bad + "', 'fn': 'inc'}]}"), ErrorCode.MALFORMED).error());
    assertEquals("task 'a': \"fn\"" + suffix,
        rejected(parse(validator, "{'tasks': [{'key': 'a', 'fn': 'f-" + bad + "'}]}"), ErrorCode.MALFORMED).error());
    assertEquals("task 'a': \"group\"" + suffix, rejected(parse(validator,
        "{'tasks': [{'key': 'a', 'fn': 'f', 'group': 'g-" + bad + "'}]}"), ErrorCode.MALFORMED).error());
    assertEquals("task 'a': a string in \"args\"" + suffix.replace("character 2", "character 1"), rejected(parse(
        validator, "{'tasks': [{'key': 'a', 'fn': 'f', 'args': [1, [{'x': ['y', 'z" + bad + "']}]]}]}"),
        ErrorCode.MALFORMED).error());
    // (Jackson itself refuses half a pair in a field name)
    assertTrue(rejected(parse(validator, "{'tasks': [{'key': 'a', 'fn': 'f', 'args': [{'" + bad + "k': 1}]}]}"),
        ErrorCode.MALFORMED).error().contains("surrogate"));
    assertEquals("the graph's \"name\"" + suffix, rejected(parse(validator,
        "{'name': 'n-" + bad + "', 'tasks': [{'key': 'a', 'fn': 'f'}]}"), ErrorCode.MALFORMED).error());
    // a low half alone, and a pair the wrong way round
    assertInstanceOf(Invalid.class, parse(validator, "{'tasks': [{'key': '\\udc00', 'fn': 'f'}]}"));
    assertInstanceOf(Invalid.class, parse(validator, "{'tasks': [{'key': '\\udc00\\ud800', 'fn': 'f'}]}"));
    // whole pairs, escaped or not, and any other text are fine
    Valid ok = assertInstanceOf(Valid.class, parse(validator, "{'name': '\\ud83d\\ude00', 'tasks': [{'key': "
        + "'\\ud83d\\ude00-\u00e9-\u4e2d', 'fn': 'f', 'group': '\u0416', 'args': ['\\u0000 \\u2028 <b>', "
        + "{'\\ud83d\\ude00': '\ud83d\ude00'}]}]}"));
    assertEquals("\ud83d\ude00-\u00e9-\u4e2d", ok.graph().tasks().get(0).key());
  }

  @Test
  void functionAndGraphNamesHaveTheKeyLimit() {
    GraphValidator small = new GraphValidator(MAPPER, new Limits(10, 8, 10));
    assertEquals("task 'a': \"fn\" is 9 characters long; the limit is 8",
        rejected(parse(small, "{'tasks': [{'key': 'a', 'fn': 'ninechars'}]}"), ErrorCode.INVALID).error());
    assertEquals("the graph's \"name\" is 9 characters long; the limit is 8",
        rejected(parse(small, "{'name': 'ninechars', 'tasks': [{'key': 'a', 'fn': 'f'}]}"), ErrorCode.INVALID)
            .error());
    assertInstanceOf(Valid.class, parse(small, "{'name': 'eight ch', 'tasks': [{'key': 'a', 'fn': 'eightchr'}]}"));
  }

  @Test
  void tooManyArguments() {
    GraphValidator small = new GraphValidator(MAPPER, new Limits(10, 1024, 2));
    assertEquals("task 'a' has 3 arguments; the limit is 2 (pass a list as one argument, or split the task)",
        rejected(parse(small, "{'tasks': [{'key': 'a', 'fn': 'sum', 'args': [1, 2, 3]}]}"), ErrorCode.INVALID)
            .error());
    assertInstanceOf(Valid.class, parse(small, "{'tasks': [{'key': 'a', 'fn': 'sum', 'args': [1, [2, 3]]}]}"));
  }

  @Test
  void argumentsLargerThanOneMessageAreRefusedWithAdvice() {
    String big = "x".repeat(GraphValidator.MAX_ARGS_BYTES);
    assertEquals("task 'a': its \"args\" are 1024 KiB as JSON; the limit is 1024 KiB (a task goes to its worker in "
            + "one message): make large data the result of a task and pass {\"ref\": KEY}, and reduce many inputs in "
            + "steps (a tree) rather than in one task",
        rejected(parse(validator, "{'tasks': [{'key': 'a', 'fn': 'len', 'args': ['" + big + "']}]}"),
            ErrorCode.INVALID).error());
    String fits = "x".repeat(GraphValidator.MAX_ARGS_BYTES - 4);
    assertInstanceOf(Valid.class, parse(validator, "{'tasks': [{'key': 'a', 'fn': 'len', 'args': ['" + fits + "']}]}"));
  }

  @Test
  void keysInMessagesStayOnOneLineAndShort() {
    List<TaskSpec> tasks = List.of(task("a\nb", "inc"), task("a\nb", "inc"));
    assertEquals("duplicate key 'a\\nb' (tasks #0 and #1)",
        rejected(validator.validate(new GraphSpec(null, tasks, null)), ErrorCode.INVALID).error());
    String longKey = "x".repeat(500);
    String error = rejected(validator.validate(new GraphSpec(null, List.of(task("a", "inc", ref(longKey))), null)),
        ErrorCode.INVALID).error();
    assertEquals("task 'a' refers to missing key '" + "x".repeat(77) + "...'", error);
  }

  @Test
  void errorCodesMapToHttpStatuses() {
    assertEquals(400, ErrorCode.MALFORMED.httpStatus());
    assertEquals(422, ErrorCode.INVALID.httpStatus());
    assertEquals("malformed", ErrorCode.MALFORMED.jsonName());
    assertEquals("invalid", ErrorCode.INVALID.jsonName());
    assertEquals(422, rejected(parse(validator, "{'tasks': []}"), ErrorCode.INVALID).httpStatus());
  }

  // ---- valid graphs ----

  @Test
  void theDesignExampleIsValidAsWritten() {
    Valid valid = assertInstanceOf(Valid.class, parse(validator, "{'name': 'demo', 'tasks': ["
        + "{'key': 'load-0', 'fn': 'sleep', 'args': [0.1, 7]},"
        + "{'key': 'load-1', 'fn': 'sleep', 'args': [0.1, 8]},"
        + "{'key': 'total', 'fn': 'sum', 'args': [{'ref': 'load-0'}, {'ref': 'load-1'}]}],"
        + " 'want': ['total']}"));
    GraphSpec g = valid.graph();
    assertEquals("demo", g.name());
    assertEquals(List.of("total"), g.want());
    assertEquals(List.of("load-0", "load-1"), g.tasks().get(2).refs());
    assertEquals(List.of(NODES.numberNode(0.1), NODES.numberNode(7)), g.tasks().get(0).args());
    assertEquals("load", g.tasks().get(0).groupName());
    assertTopological(g, valid.order());
  }

  @Test
  void wantDefaultsToTheTasksNothingDependsOn() {
    String tasks = "'tasks': ["
        + "{'key': 'a', 'fn': 'inc', 'args': [1]},"
        + "{'key': 'b', 'fn': 'inc', 'args': [{'ref': 'a'}]},"
        + "{'key': 'c', 'fn': 'inc', 'args': [2]},"
        + "{'key': 'd', 'fn': 'add', 'args': [{'ref': 'a'}, {'ref': 'a'}]}]";
    for (String json : List.of("{" + tasks + "}", "{" + tasks + ", 'want': []}", "{" + tasks + ", 'want': null}")) {
      Valid valid = assertInstanceOf(Valid.class, parse(validator, json));
      assertEquals(List.of("b", "c", "d"), valid.graph().want(), json);
      assertTopological(valid.graph(), valid.order());
    }
    Valid given = assertInstanceOf(Valid.class, parse(validator, "{" + tasks + ", 'want': ['a', 'c', 'a']}"));
    assertEquals(List.of("a", "c"), given.graph().want(), "repeats removed, order kept");
  }

  @Test
  void argumentsKeepTheirJsonValues() {
    Valid valid = assertInstanceOf(Valid.class, parse(validator, "{'tasks': ["
        + "{'key': 'a', 'fn': 'f', 'args': [null, true, 'text', 12345678901, 1.5, [1, {'ref': 'b'}],"
        + " {'ref': 'b', 'x': 1}, {'ref': 5}]},"
        + "{'key': 'b', 'fn': 'f', 'args': null, 'group': null}]}"));
    TaskSpec a = valid.graph().tasks().get(0);
    assertEquals(8, a.args().size());
    assertTrue(a.args().get(0).isNull());
    assertEquals(12345678901L, a.args().get(3).longValue());
    assertEquals(List.of(), a.refs(), "only a top-level {\"ref\": KEY} is a reference");
    assertEquals(List.of("a", "b"), valid.graph().want());
    assertEquals(List.of(), valid.graph().tasks().get(1).argsOrEmpty());
  }

  @Test
  void validateAcceptsAGraphBuiltInCode() {
    GraphSpec graph = new GraphSpec("g", List.of(task("x-1", "inc", 1), task("y", "add", ref("x-1"), 2)), null);
    Valid valid = assertInstanceOf(Valid.class, validator.validate(graph));
    assertEquals(List.of("y"), valid.graph().want());
    assertEquals(graph.tasks(), valid.graph().tasks());
    assertEquals(0, valid.order()[0]);
    assertEquals(1, valid.order()[1]);
  }

  // ---- groups ----

  @Test
  void groupsFromKeys() {
    assertEquals("load", TaskKeys.group("load-0"));
    assertEquals("sum-level", TaskKeys.group("sum-level-2-17"));
    assertEquals("x", TaskKeys.group("x"));
    assertEquals("inc", TaskKeys.group("inc-deadbeef"));
    assertEquals("", TaskKeys.group(""));
    assertEquals("load", new TaskSpec("load-3", "f", null, null).groupName());
    assertEquals("load", new TaskSpec("load-3", "f", null, "").groupName(), "an empty group is no group");
    assertEquals("loaders", new TaskSpec("load-3", "f", null, "loaders").groupName(), "explicit group wins");
  }

  // ---- size ----

  @Test
  void aChainOf100000TasksIsValid() {
    int n = 100_000;
    List<TaskSpec> tasks = new ArrayList<>(n);
    tasks.add(task("inc-0", "inc", 0));
    for (int i = 1; i < n; i++) {
      tasks.add(task("inc-" + i, "inc", ref("inc-" + (i - 1))));
    }
    java.util.Collections.reverse(tasks); // so the order is not the input order
    Valid valid = assertInstanceOf(Valid.class, validator.validate(new GraphSpec("chain", tasks, null)));
    assertEquals(List.of("inc-" + (n - 1)), valid.graph().want());
    assertEquals(n - 1, valid.order()[0]);
    assertTopological(valid.graph(), valid.order());
  }

  @Test
  void aCycleOf100000TasksIsRejectedNamingKeys() {
    int n = 100_000;
    StringBuilder json = new StringBuilder("{\"tasks\": [");
    for (int i = 0; i < n; i++) {
      json.append(i == 0 ? "" : ",").append("{\"key\": \"k").append(i).append("\", \"fn\": \"inc\", \"args\": [{\"ref\": \"k")
          .append((i + 1) % n).append("\"}]}");
    }
    json.append("]}");
    Invalid invalid = rejected(validator.parseAndValidate(json.toString().getBytes(UTF_8)), ErrorCode.INVALID);
    assertEquals("cycle: k0 -> k1 -> k2 -> k3 -> k4 -> k5 -> k6 -> k7 -> k8 -> k9 -> ... -> k0"
        + " (100000 keys; each task refers to the next: remove one of these references)", invalid.error());
  }

  @Test
  void aMillionIndependentTasksAreValid() {
    int n = 1_000_000;
    StringBuilder json = new StringBuilder(n * 48).append("{\"name\": \"wide\", \"tasks\": [");
    for (int i = 0; i < n; i++) {
      json.append(i == 0 ? "" : ",").append("{\"key\": \"load-").append(i).append("\", \"fn\": \"inc\", \"args\": [")
          .append(i).append("]}");
    }
    json.append("]}");
    Valid valid = assertInstanceOf(Valid.class, validator.parseAndValidate(json.toString().getBytes(UTF_8)));
    assertEquals(n, valid.graph().tasks().size());
    assertEquals(n, valid.graph().want().size());
    assertEquals(n, valid.order().length);
    assertEquals("load-999999", valid.graph().tasks().get(n - 1).key());
    // one more is over the limit
    GraphValidator exact = new GraphValidator(MAPPER, new Limits(n - 1, 1024, 10));
    assertEquals("the graph has 1000000 tasks, more than the limit of 999999; split the work into several graphs",
        rejected(exact.validate(valid.graph()), ErrorCode.INVALID).error());
  }

  @Test
  void aGraphsSharedFunctionsAndGroupsAndItsWantedKeysAreEachKeptOnce() {
    StringBuilder json = new StringBuilder("{\"tasks\": [");
    for (int i = 0; i < 6; i++) {
      // two functions in turn (so not only the previous task's is reused), one group, a third fn once
      String fn = i == 5 ? "java:a.B::c(J)J" : i % 2 == 0 ? "java:a.B::inc(J)J" : "sum";
      json.append(i == 0 ? "" : ",").append("{\"key\": \"k").append(i).append("\", \"fn\": \"").append(fn)
          .append("\", \"group\": \"g\"}");
    }
    json.append("], \"want\": [\"k4\", \"k1\", \"k4\"]}");
    Valid valid = assertInstanceOf(Valid.class, validator.parseAndValidate(json.toString().getBytes(UTF_8)));
    List<TaskSpec> tasks = valid.graph().tasks();
    assertEquals("java:a.B::inc(J)J", tasks.get(0).fn());
    assertEquals("sum", tasks.get(1).fn());
    assertEquals("java:a.B::c(J)J", tasks.get(5).fn());
    assertSame(tasks.get(0).fn(), tasks.get(2).fn());
    assertSame(tasks.get(0).fn(), tasks.get(4).fn());
    assertSame(tasks.get(1).fn(), tasks.get(3).fn());
    for (TaskSpec t : tasks) {
      assertSame(tasks.get(0).group(), t.group());
    }
    assertEquals(List.of("k4", "k1"), valid.graph().want());
    assertSame(tasks.get(4).key(), valid.graph().want().get(0));
    assertSame(tasks.get(1).key(), valid.graph().want().get(1));
    // a new validator (a new graph) does not hand out the last graph's instances
    Valid again = assertInstanceOf(Valid.class, validator.parseAndValidate(json.toString().getBytes(UTF_8)));
    assertNotSame(tasks.get(0).fn(), again.graph().tasks().get(0).fn());
  }

  @Test
  void aBodyInPiecesReadsAsTheSameBytesWhole() throws Exception {
    StringBuilder json = new StringBuilder("{\"name\": \"pieces\", \"tasks\": [");
    for (int i = 0; i < 2_000; i++) {
      json.append(i == 0 ? "" : ",").append("{\"key\": \"k\u00e9-").append(i).append("\", \"fn\": \"")
          .append(i == 0 ? "inc" : "add").append("\", \"args\": [").append(i == 0 ? "1" : "{\"ref\": \"k\u00e9-" + (i - 1) + "\"}, 2")
          .append("]}");
    }
    json.append("]}");
    byte[] whole = json.toString().getBytes(UTF_8);
    Valid fromBytes = assertInstanceOf(Valid.class, validator.parseAndValidate(whole));
    Valid fromPieces = assertInstanceOf(Valid.class, validator.parseAndValidate(inPieces(whole, 7)));
    assertEquals(fromBytes.graph(), fromPieces.graph());
    assertEquals(java.util.Arrays.toString(fromBytes.order()), java.util.Arrays.toString(fromPieces.order()));
    // and a malformed body says the same, with the same line and column
    byte[] broken = (json.substring(0, json.length() - 40) + "}}").getBytes(UTF_8);
    String error = rejected(validator.parseAndValidate(broken), ErrorCode.MALFORMED).error();
    assertEquals(error, rejected(validator.parseAndValidate(inPieces(broken, 7)), ErrorCode.MALFORMED).error());
  }

  /** The bytes as a stream of pieces of about {@code size} bytes, cut anywhere (inside characters too). */
  private static InputStream inPieces(byte[] bytes, int size) {
    List<InputStream> pieces = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += size) {
      pieces.add(new ByteArrayInputStream(bytes, i, Math.min(size, bytes.length - i)));
    }
    return new SequenceInputStream(Collections.enumeration(pieces));
  }
}
