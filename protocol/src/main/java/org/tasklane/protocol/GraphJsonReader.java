package org.tasklane.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link GraphSpec} from JSON with a streaming parser, checking the shape as it goes: a
 * graph object, known fields only, each once, and the right JSON type for each. What a
 * {@link GraphSpec} can hold (a missing key, an empty graph, a cycle) is left to
 * {@link GraphValidator#validate}, so both entry points report it the same way.
 *
 * <p>Streaming (rather than a tree of the whole body) keeps a million-task graph to one copy of
 * the tasks in memory, and keeps none past the task limit (it only counts the rest, to say how
 * many there are). A graph's tasks mostly share a few functions and groups: each such text is kept
 * once per graph, not once per task.
 */
final class GraphJsonReader {

  private static final String GRAPH_FIELDS = "name, tasks, want, code";
  private static final String TASK_FIELDS = "key, fn, args, group, retries, timeout";
  private static final String TASKS_ARRAY = "\"tasks\" must be an array of task objects";
  private static final String WANT_ARRAY = "\"want\" must be an array of task keys (strings)";
  private static final String CODE_ARRAY =
      "\"code\" must be an array of the SHA-256 digests (64 hex digits) of uploaded jars";

  private static final int KEY = 1;
  private static final int FN = 2;
  private static final int ARGS = 4;
  private static final int GROUP = 8;
  private static final int RETRIES = 16;
  private static final int TIMEOUT = 32;
  /** The most distinct fn and group texts kept shared per graph; past it, new ones are kept per task. */
  static final int MAX_SHARED = 1024;

  private final ObjectMapper mapper;
  private final GraphValidator.Limits limits;
  /** One copier for every task's arguments: a generator and a buffer per graph, not per task. */
  private TaskArgs.Copier argsCopier;
  /** The distinct fn and group texts of this graph, each kept once (at most {@link #MAX_SHARED} of them). */
  private final Map<String, String> shared = new HashMap<>();
  /** The previous task's fn and group: most tasks repeat them, and then no string is made at all. */
  private String lastFn;
  private String lastGroup;

  GraphJsonReader(ObjectMapper mapper, GraphValidator.Limits limits) {
    this.mapper = mapper;
    this.limits = limits;
  }

  /** The graph as written; throws {@link BadGraph} on a shape problem, Jackson's exceptions on bad JSON. */
  GraphSpec read(byte[] json) throws IOException, BadGraph {
    try (JsonParser p = mapper.createParser(json)) {
      return read(p);
    }
  }

  /** The same from a stream: a body that arrived in pieces is read without first being copied whole. */
  GraphSpec read(InputStream json) throws IOException, BadGraph {
    try (JsonParser p = mapper.createParser(json)) {
      return read(p);
    }
  }

  private GraphSpec read(JsonParser p) throws IOException, BadGraph {
    try (TaskArgs.Copier copier = new TaskArgs.Copier()) {
      argsCopier = copier;
      JsonToken t = p.nextToken();
      if (t == null) {
        throw malformed("the body is empty; send a graph object like {\"tasks\": [" + GraphValidator.TASK_EXAMPLE + "]}");
      }
      if (t != JsonToken.START_OBJECT) {
        throw malformed("the graph must be a JSON object like {\"tasks\": [...]}, not " + describe(t));
      }
      GraphSpec graph = readGraph(p);
      if (p.nextToken() != null) {
        JsonLocation loc = p.currentTokenLocation();
        throw malformed("malformed JSON at line " + loc.getLineNr() + ", column " + loc.getColumnNr()
            + ": unexpected content after the graph object");
      }
      return graph;
    }
  }

  private GraphSpec readGraph(JsonParser p) throws IOException, BadGraph {
    String name = null;
    List<TaskSpec> tasks = null;
    List<String> want = null;
    List<String> code = null;
    int seen = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      int bit = switch (field) {
        case "name" -> 1;
        case "tasks" -> 2;
        case "want" -> 4;
        case "code" -> 8;
        default -> throw malformed(
            "unknown field " + quoted(field) + " in graph; known fields: " + GRAPH_FIELDS);
      };
      if ((seen & bit) != 0) {
        throw malformed("field " + quoted(field) + " appears twice in graph");
      }
      seen |= bit;
      switch (field) {
        case "name" -> {
          if (value == JsonToken.VALUE_STRING) {
            name = p.getText();
          } else if (value != JsonToken.VALUE_NULL) {
            throw malformed("\"name\" must be a string");
          }
        }
        case "tasks" -> {
          if (value == JsonToken.START_ARRAY) {
            tasks = readTasks(p);
          } else if (value != JsonToken.VALUE_NULL) {
            throw malformed(TASKS_ARRAY);
          }
        }
        case "code" -> {
          if (value == JsonToken.START_ARRAY) {
            code = readStrings(p, CODE_ARRAY);
          } else if (value != JsonToken.VALUE_NULL) {
            throw malformed(CODE_ARRAY);
          }
        }
        default -> {
          if (value == JsonToken.START_ARRAY) {
            want = readStrings(p, WANT_ARRAY);
          } else if (value != JsonToken.VALUE_NULL) {
            throw malformed(WANT_ARRAY);
          }
        }
      }
    }
    return new GraphSpec(name, tasks, want, code);
  }

  /**
   * The graph has more tasks than the limit: counts the rest without keeping them (skipping is
   * cheap), so that the answer says how many there are; {@code current} is the first one too many.
   */
  private BadGraph tooManyTasks(JsonParser p, JsonToken current, int kept) {
    long n = kept;
    boolean exact = true;
    try {
      for (JsonToken t = current; t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t == null) {
          exact = false; // the body ends inside the array
          break;
        }
        p.skipChildren();
        n++;
      }
    } catch (IOException e) {
      exact = false; // malformed further on: say how many at least
    }
    return new BadGraph(GraphValidator.tooManyTasks(n, exact, limits), GraphValidator.ErrorCode.INVALID);
  }

  private List<TaskSpec> readTasks(JsonParser p) throws IOException, BadGraph {
    List<TaskSpec> tasks = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      int i = tasks.size();
      if (i == limits.maxTasks()) {
        throw tooManyTasks(p, t, i);
      }
      if (t != JsonToken.START_OBJECT) {
        throw malformed("task #" + i + " must be an object like " + GraphValidator.TASK_EXAMPLE + ", not " + describe(t));
      }
      tasks.add(readTask(p, i));
    }
    return tasks;
  }

  /**
   * The current string value as one shared instance per graph: {@code last} itself if the text is
   * the same (compared in the parser's buffer, no string made), else the first instance of it seen.
   */
  private String sharedText(JsonParser p, String last) throws IOException {
    int length = p.getTextLength();
    if (last != null && last.length() == length) {
      char[] chars = p.getTextCharacters();
      int offset = p.getTextOffset();
      int k = 0;
      while (k < length && chars[offset + k] == last.charAt(k)) {
        k++;
      }
      if (k == length) {
        return last;
      }
    }
    String text = p.getText();
    String first = shared.get(text);
    if (first != null) {
      return first;
    }
    if (shared.size() < MAX_SHARED) {
      shared.put(text, text);
    }
    return text;
  }

  /**
   * One task object. Problems are noted and reported at the end of the object, in a fixed order,
   * so that a task can be named by its key whatever order its fields come in.
   */
  private TaskSpec readTask(JsonParser p, int i) throws IOException, BadGraph {
    String key = null;
    String fn = null;
    String group = null;
    TaskArgs args = null;
    Integer retries = null;
    Double timeout = null;
    int seen = 0;
    int wrongType = 0;
    String unknown = null;
    String twice = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      int bit = switch (field) {
        case "key" -> KEY;
        case "fn" -> FN;
        case "args" -> ARGS;
        case "group" -> GROUP;
        case "retries" -> RETRIES;
        case "timeout" -> TIMEOUT;
        default -> 0;
      };
      if (bit == 0) {
        unknown = unknown == null ? field : unknown;
        p.skipChildren();
        continue;
      }
      if ((seen & bit) != 0) {
        twice = twice == null ? field : twice;
      }
      seen |= bit;
      if (value == JsonToken.VALUE_NULL) {
        continue; // as if absent: validate() reports a missing key or fn
      }
      if (bit == RETRIES) {
        if (value == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0 && p.getLongValue() <= TaskSpec.MAX_RETRIES) {
          retries = p.getIntValue();
        } else {
          wrongType |= RETRIES;
          p.skipChildren();
        }
      } else if (bit == TIMEOUT) {
        if ((value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT)
            && p.getDoubleValue() > 0 && p.getDoubleValue() <= TaskSpec.MAX_TIMEOUT_SECONDS) {
          timeout = p.getDoubleValue();
        } else {
          wrongType |= TIMEOUT;
          p.skipChildren();
        }
      } else if (bit == ARGS) {
        if (value == JsonToken.START_ARRAY) {
          args = argsCopier.read(p); // as text, no tree: see TaskArgs
        } else {
          wrongType |= ARGS;
          p.skipChildren();
        }
      } else if (value == JsonToken.VALUE_STRING) {
        switch (bit) {
          case KEY -> key = p.getText();
          case FN -> fn = lastFn = sharedText(p, lastFn);
          default -> group = lastGroup = sharedText(p, lastGroup);
        }
      } else {
        wrongType |= bit;
        p.skipChildren();
      }
    }
    if (unknown == null && twice == null && wrongType == 0) {
      return new TaskSpec(key, fn, args, group, retries, timeout);
    }
    // a problem: the task's name for the message (not made for every task: it copies the key)
    String name = key != null && !key.isEmpty() && (wrongType & KEY) == 0 ? GraphValidator.show(key) : "#" + i;
    if (unknown != null) {
      throw malformed("unknown field " + quoted(unknown) + " in task " + name + "; known fields: " + TASK_FIELDS);
    }
    if (twice != null) {
      throw malformed("field " + quoted(twice) + " appears twice in task " + name);
    }
    if ((wrongType & KEY) != 0) {
      throw malformed("task #" + i + ": \"key\" must be a non-empty string");
    }
    if ((wrongType & FN) != 0) {
      throw malformed("task " + name + ": \"fn\" must be a non-empty string");
    }
    if ((wrongType & ARGS) != 0) {
      throw malformed("task " + name + ": \"args\" must be an array");
    }
    if ((wrongType & GROUP) != 0) {
      throw malformed("task " + name + ": \"group\" must be a string");
    }
    if ((wrongType & RETRIES) != 0) {
      throw malformed("task " + name + ": \"retries\" must be a whole number from 0 to " + TaskSpec.MAX_RETRIES);
    }
    if ((wrongType & TIMEOUT) != 0) {
      throw malformed("task " + name + ": \"timeout\" must be a number of seconds above 0 and at most "
          + (long) TaskSpec.MAX_TIMEOUT_SECONDS + " (a week)");
    }
    return new TaskSpec(key, fn, args, group, retries, timeout);
  }

  private List<String> readStrings(JsonParser p, String problem) throws IOException, BadGraph {
    List<String> strings = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_STRING) {
        throw malformed(problem);
      }
      strings.add(p.getText());
    }
    return strings;
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  /** A field name in a message: double-quoted, one line, cut. */
  private static String quoted(String field) {
    return '"' + GraphValidator.bare(field) + '"';
  }

  private static BadGraph malformed(String message) {
    return new BadGraph(message, GraphValidator.ErrorCode.MALFORMED);
  }

  /** A graph with the wrong shape (or over the task limit): the message is the user's error line. */
  static final class BadGraph extends Exception {
    private static final long serialVersionUID = 1L;
    final GraphValidator.ErrorCode code;

    BadGraph(String message, GraphValidator.ErrorCode code) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
