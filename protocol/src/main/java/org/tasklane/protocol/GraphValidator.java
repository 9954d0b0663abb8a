package org.tasklane.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a whole task graph before anything is applied: used by the scheduler's
 * {@code POST /api/v1/graphs} and by the command-line client before it sends a graph.
 *
 * <p>It answers either {@link Valid} (the graph, with {@code want} filled in, and a topological
 * order) or {@link Invalid}: one line that names the first problem found and, where useful, how to
 * fix it. Tasks are named by key ({@code task 'load-1'}) or, when the key itself is the problem, by
 * their 0-based position in {@code "tasks"} ({@code task #5}).
 *
 * <p>Error codes and the HTTP status they map to ({@link ErrorCode#httpStatus()}):
 *
 * <ul>
 *   <li>{@link ErrorCode#MALFORMED} ({@code malformed}, 400 Bad Request): the body is not JSON,
 *       or has the wrong shape: not an object, a field of the wrong type, a missing or empty
 *       {@code key}/{@code fn}, an unknown or repeated field.
 *   <li>{@link ErrorCode#INVALID} ({@code invalid}, 422 Unprocessable Content): well-formed, but
 *       not a graph that can run: no tasks, a duplicate key, a reference to a missing key, a
 *       {@code want} key that is not a task, a cycle, or a limit ({@link Limits}) exceeded.
 * </ul>
 *
 * <p>Everything is iterative (Kahn's algorithm over int arrays), so long chains and graphs with a
 * million tasks validate without deep stacks. Instances are immutable and thread-safe.
 */
public final class GraphValidator {

  /** The example shown when a task is not an object. */
  static final String TASK_EXAMPLE = "{\"key\": \"a\", \"fn\": \"inc\", \"args\": [1]}";

  private static final int SHOWN_CYCLE_KEYS = 10;
  private static final int SHOWN_KEY_CHARS = 80;

  private final ObjectMapper mapper;
  private final Limits limits;

  public GraphValidator(ObjectMapper mapper, Limits limits) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** A validator with {@link Limits#DEFAULTS}. */
  public GraphValidator(ObjectMapper mapper) {
    this(mapper, Limits.DEFAULTS);
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Parses a graph from JSON (UTF-8, or another encoding Jackson detects) and validates it. A field
   * given as JSON {@code null} counts as absent; unknown fields and repeated fields are errors.
   * Reading stops at the first shape problem; past the task limit, tasks are only counted.
   */
  public Result parseAndValidate(byte[] json) {
    return parseAndValidate(json, null);
  }

  /**
   * The same, from a stream: for a body that arrived in pieces, which would otherwise be copied
   * whole into one array first (a large graph's body held twice while it is read).
   */
  public Result parseAndValidate(InputStream json) {
    return parseAndValidate(null, json);
  }

  private Result parseAndValidate(byte[] bytes, InputStream stream) {
    GraphSpec graph;
    try {
      GraphJsonReader reader = new GraphJsonReader(mapper, limits);
      graph = bytes != null ? reader.read(bytes) : reader.read(stream);
    } catch (GraphJsonReader.BadGraph e) {
      return new Invalid(e.getMessage(), e.code);
    } catch (JsonProcessingException e) {
      return malformed(describe(e));
    } catch (IOException e) {
      return malformed("malformed JSON: " + firstLine(e.getMessage()));
    }
    return validate(graph);
  }

  /**
   * Validates a graph built in code or read by another parser: every check of
   * {@link #parseAndValidate} that a {@link GraphSpec} can fail. {@code want} absent or empty means
   * the tasks no other task refers to.
   */
  public Result validate(GraphSpec graph) {
    if (graph == null || graph.tasks() == null || graph.tasks().isEmpty()) {
      return invalid("the graph has no tasks; give at least one task in \"tasks\"");
    }
    List<TaskSpec> tasks = graph.tasks();
    int n = tasks.size();
    if (n > limits.maxTasks()) {
      return invalid(tooManyTasks(n, true, limits));
    }
    if (graph.name() != null && graph.name().length() > limits.maxKeyLength()) {
      return invalid("the graph's \"name\" is " + graph.name().length() + " characters long; the limit is "
          + limits.maxKeyLength());
    }
    if (graph.name() != null && TaskKeys.unpairedSurrogate(graph.name()) >= 0) {
      return notUnicode("the graph's \"name\"", graph.name());
    }

    Result badCode = checkCode(graph.codeOrEmpty());
    if (badCode != null) {
      return badCode;
    }

    // 1. each task on its own, and the key -> index table (duplicates)
    KeySlots index = new KeySlots(n, i -> tasks.get(i).key());
    for (int i = 0; i < n; i++) {
      Result bad = checkTask(tasks.get(i), i);
      if (bad != null) {
        return bad;
      }
      int first = index.putIfAbsent(i);
      if (first >= 0) {
        return invalid("duplicate key " + show(tasks.get(i).key()) + " (tasks #" + first + " and #" + i + ")");
      }
    }

    // 2. references as int arrays: refs of task i are refTargets[refStart[i] .. refStart[i + 1])
    int[] refStart = new int[n + 1];
    int[] refTargets = new int[Math.max(16, n)];
    int[] dependents = new int[n]; // how many references point at each task
    int total = 0;
    for (int i = 0; i < n; i++) {
      TaskSpec t = tasks.get(i);
      refStart[i] = total;
      for (String ref : t.refs()) {
        int target = index.get(ref);
        if (target < 0) {
          return invalid("task " + show(t.key()) + " refers to missing key " + show(ref));
        }
        if (target == i) {
          return invalid("cycle: " + bare(t.key()) + " -> " + bare(t.key())
              + " (task " + show(t.key()) + " refers to itself)");
        }
        if (total == refTargets.length) {
          refTargets = Arrays.copyOf(refTargets, refTargets.length * 2);
        }
        refTargets[total++] = target;
        dependents[target]++;
      }
    }
    refStart[n] = total;

    // 3. want
    List<String> want = graph.want();
    if (want != null && !want.isEmpty()) {
      Set<String> unique = new LinkedHashSet<>();
      for (String w : want) {
        if (w == null) {
          return malformed("\"want\" must be an array of task keys (strings)");
        }
        int task = index.get(w);
        if (task < 0) {
          return invalid("\"want\" names missing key " + show(w));
        }
        unique.add(tasks.get(task).key()); // the task's own key: the text of "want" is not kept twice
      }
      want = List.copyOf(unique);
    } else {
      List<String> sinks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (dependents[i] == 0) {
          sinks.add(tasks.get(i).key());
        }
      }
      want = sinks; // empty only when every task is on or behind a cycle, reported below
    }

    // 4. Kahn's algorithm; what is left over holds a cycle
    int[] pending = new int[n];
    int[] order = GraphOrder.topologicalOrder(refStart, refTargets, dependents, pending);
    if (order == null) {
      return invalid(describeCycle(tasks, GraphOrder.findCycle(refStart, refTargets, pending)));
    }
    return new Valid(new GraphSpec(graph.name(), tasks, want, graph.code()), order);
  }

  /** The most jars one graph may name in {@code code}. */
  public static final int MAX_JARS = 64;

  /** True if {@code s} is a SHA-256 digest as the API writes it: 64 lower-case hex digits. */
  public static boolean isSha256(String s) {
    if (s == null || s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private Result checkCode(List<String> code) {
    if (code.size() > MAX_JARS) {
      return invalid("\"code\" names " + code.size() + " jars; the limit is " + MAX_JARS
          + " (put the classes in fewer jars)");
    }
    for (String c : code) {
      if (!isSha256(c)) {
        return malformed("\"code\" holds " + show(String.valueOf(c)) + ", which is not a SHA-256 digest "
            + "(64 lower-case hex digits) of an uploaded jar");
      }
    }
    return null;
  }

  private Result checkTask(TaskSpec t, int i) {
    if (t == null) {
      return malformed("task #" + i + " must be an object like " + TASK_EXAMPLE);
    }
    String key = t.key();
    if (key == null || key.isEmpty()) {
      return malformed("task #" + i + ": \"key\" must be a non-empty string");
    }
    if (key.length() > limits.maxKeyLength()) {
      return invalid("task #" + i + ": \"key\" is " + key.length() + " characters long; the limit is "
          + limits.maxKeyLength());
    }
    if (TaskKeys.unpairedSurrogate(key) >= 0) {
      return notUnicode("task #" + i + ": \"key\" " + show(key), key);
    }
    if (t.fn() == null || t.fn().isEmpty()) {
      return malformed("task " + show(key) + ": \"fn\" must be a non-empty string");
    }
    if (t.fn().length() > limits.maxKeyLength()) {
      return invalid("task " + show(key) + ": \"fn\" is " + t.fn().length() + " characters long; the limit is "
          + limits.maxKeyLength());
    }
    if (t.group() != null && t.group().length() > limits.maxKeyLength()) {
      return invalid("task " + show(key) + ": \"group\" is " + t.group().length()
          + " characters long; the limit is " + limits.maxKeyLength());
    }
    if (TaskKeys.unpairedSurrogate(t.fn()) >= 0) {
      return notUnicode("task " + show(key) + ": \"fn\"", t.fn());
    }
    if (t.group() != null && TaskKeys.unpairedSurrogate(t.group()) >= 0) {
      return notUnicode("task " + show(key) + ": \"group\"", t.group());
    }
    String badText = t.argsOrEmpty().notUnicode();
    if (badText != null) {
      return notUnicode("task " + show(key) + ": a string in \"args\"", badText);
    }
    int nargs = t.argsOrEmpty().size();
    if (nargs > limits.maxArgs()) {
      return invalid("task " + show(key) + " has " + nargs + " arguments; the limit is " + limits.maxArgs()
          + " (pass a list as one argument, or split the task)");
    }
    int argsBytes = t.argsOrEmpty().json().length;
    if (argsBytes > MAX_ARGS_BYTES) {
      return invalid("task " + show(key) + ": its \"args\" are " + (argsBytes >> 10) + " KiB as JSON; the limit is "
          + (MAX_ARGS_BYTES >> 10) + " KiB (a task goes to its worker in one message): make large data the result "
          + "of a task and pass {\"ref\": KEY}, and reduce many inputs in steps (a tree) rather than in one task");
    }
    return null;
  }

  /**
   * The most bytes one task's arguments may take as compact JSON: with its key and its inputs, an
   * assignment must fit one message of the scheduler's 4 MiB large-message frames (one over the
   * ordinary lane's 256 KiB goes that way; {@link WireBatches}).
   */
  public static final int MAX_ARGS_BYTES = 1024 * 1024;

  /** {@code cycle: a -> b -> c -> a (3 keys; ...)}, with at most 10 keys shown. */
  private static String describeCycle(List<TaskSpec> tasks, int[] cycle) {
    StringBuilder sb = new StringBuilder("cycle: ");
    int shown = Math.min(cycle.length, SHOWN_CYCLE_KEYS);
    for (int s = 0; s < shown; s++) {
      sb.append(bare(tasks.get(cycle[s]).key())).append(" -> ");
    }
    if (shown < cycle.length) {
      sb.append("... -> ");
    }
    sb.append(bare(tasks.get(cycle[0]).key()));
    sb.append(" (").append(cycle.length).append(" keys; each task refers to the next: remove one of these references)");
    return sb.toString();
  }

  /**
   * {@code the graph has 1000001 tasks, more than the limit of 1000000; split the work into several
   * graphs} (with the limits' advice), or {@code at least N} when the count could not be finished.
   */
  static String tooManyTasks(long tasks, boolean exact, Limits limits) {
    return "the graph has " + (exact ? "" : "at least ") + tasks + " tasks, more than the limit of " + limits.maxTasks()
        + "; " + limits.tooManyTasksAdvice();
  }

  /** {@code malformed JSON at line 3, column 14: Unexpected character ...}, one line. */
  private static String describe(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String where = loc == null || loc.getLineNr() < 0
        ? ""
        : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    return "malformed JSON" + where + ": " + firstLine(e.getOriginalMessage());
  }

  static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "unreadable input";
    }
    String s = message.strip();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl).strip();
  }

  /** A user's key in a message: single-quoted, see {@link #bare}. */
  public static String show(String key) {
    return "'" + bare(key) + "'";
  }

  /**
   * A user's key or field name as it appears in a message: control characters escaped (so the
   * message stays one line), and cut to 80 characters.
   */
  static String bare(String key) {
    StringBuilder sb = new StringBuilder(Math.min(key.length(), SHOWN_KEY_CHARS) + 8);
    int cut = key.length() > SHOWN_KEY_CHARS ? SHOWN_KEY_CHARS - 3 : key.length();
    if (cut < key.length() && Character.isHighSurrogate(key.charAt(cut - 1))) {
      cut--; // do not split a surrogate pair
    }
    for (int i = 0; i < cut; i++) {
      char c = key.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          boolean unpaired = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < key.length()
              && Character.isLowSurrogate(key.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
              && Character.isHighSurrogate(key.charAt(i - 1)));
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || unpaired) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    if (cut < key.length()) {
      sb.append("...");
    }
    return sb.toString();
  }

  private static Invalid malformed(String message) {
    return new Invalid(message, ErrorCode.MALFORMED);
  }

  /**
   * Text that is not Unicode: JSON's {@code \\uD800} escapes can make a string with half of a
   * surrogate pair, which no UTF-8 (or CBOR) writer can write, so such a graph could neither reach a
   * worker nor be shown. 400, naming where.
   */
  private static Invalid notUnicode(String where, String text) {
    int at = TaskKeys.unpairedSurrogate(text);
    return malformed(where + " has an unpaired surrogate (" + String.format("\\u%04x", (int) text.charAt(at))
        + ") at character " + at + "; text must be valid Unicode (a \\uD800-\\uDBFF escape must be followed by a "
        + "\\uDC00-\\uDFFF one)");
  }

  private static Invalid invalid(String message) {
    return new Invalid(message, ErrorCode.INVALID);
  }

  /**
   * Size limits, checked before anything is applied.
   *
   * @param maxTasks the most tasks one graph may have
   * @param maxKeyLength the longest key (and explicit group, function name and graph name), in UTF-16 chars
   * @param maxArgs the most arguments one task may have
   * @param tooManyTasksAdvice what a graph over {@code maxTasks} is told to do, after the numbers
   *     (where the limit comes from and how to raise it, if it can be)
   */
  public record Limits(int maxTasks, int maxKeyLength, int maxArgs, String tooManyTasksAdvice) {
    /** The advice when nothing but splitting helps. */
    public static final String SPLIT = "split the work into several graphs";

    /** 1,000,000 tasks, 1024-char keys, 10,000 arguments per task. */
    public static final Limits DEFAULTS = new Limits(1_000_000, 1024, 10_000);

    public Limits {
      if (maxTasks < 1 || maxKeyLength < 1 || maxArgs < 0) {
        throw new IllegalArgumentException("limits must be positive: " + maxTasks + ", " + maxKeyLength + ", " + maxArgs);
      }
      if (tooManyTasksAdvice == null || tooManyTasksAdvice.isBlank()) {
        tooManyTasksAdvice = SPLIT;
      }
    }

    public Limits(int maxTasks, int maxKeyLength, int maxArgs) {
      this(maxTasks, maxKeyLength, maxArgs, SPLIT);
    }

    /**
     * These limits with at most {@code maxTasks} tasks a graph, and {@code advice} for a graph over
     * it (e.g. which setting sets it).
     */
    public Limits withMaxTasks(int maxTasks, String advice) {
      return new Limits(maxTasks, maxKeyLength, maxArgs, advice);
    }
  }

  /** What kind of problem a graph has, and the HTTP status the client API answers with. */
  public enum ErrorCode {
    /** Not JSON, or not the shape of a graph: 400 Bad Request. */
    MALFORMED(400),
    /** Well-formed, but not a graph that can run: 422 Unprocessable Content. */
    INVALID(422);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }

    /** {@code malformed} or {@code invalid}. */
    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The outcome of a validation. */
  public sealed interface Result permits Valid, Invalid {}

  /**
   * A graph that can run.
   *
   * @param graph the graph, {@code want} filled in (the tasks no other task refers to, in task
   *     order, when it was absent or empty; otherwise as given, repeats removed)
   * @param order indices into {@code graph.tasks()}, every task after the tasks it refers to. The
   *     array is not shared with the validator: the caller owns it.
   */
  public record Valid(GraphSpec graph, int[] order) implements Result {
    @Override
    public String toString() {
      return "Valid[" + graph.tasks().size() + " tasks, want " + graph.want().size() + "]";
    }
  }

  /**
   * A graph that was rejected.
   *
   * @param error one line naming the first problem found
   * @param code what kind of problem, and so which HTTP status
   */
  public record Invalid(String error, ErrorCode code) implements Result {
    public int httpStatus() {
      return code.httpStatus();
    }
  }
}
