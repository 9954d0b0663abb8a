package org.tasklane.dashboard.errors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;

/**
 * The erred tasks a dashboard has seen, grouped by {@link ErrorKind}: per group the count, the
 * first and last time, the workers, graphs and task groups, the distinct stack traces and the most
 * recent examples. Bounded: at most {@link #MAX_GROUPS} groups (the one that erred least recently
 * goes first, counted in {@code droppedGroups}), {@link #MAX_EXAMPLES} examples per group (the
 * oldest go), {@link #MAX_TRACES} traces of up to 16 KiB per group (later distinct ones are not
 * kept) and {@link #MAX_NAMES} names of each kind (the rest counted): at most about 5 MiB however
 * many tasks err. Not thread-safe: one actor owns it.
 */
public final class ErrorLog {
  public static final int MAX_GROUPS = 100;
  public static final int MAX_EXAMPLES = 10;
  public static final int MAX_TRACES = 3;
  public static final int MAX_NAMES = 20;
  /** Characters of an example's error text kept. */
  static final int MAX_ERROR = 2_000;

  private static final class Group {
    final String id;
    String type;
    final String message;
    final String pattern;
    long count;
    long firstMicros = Long.MAX_VALUE;
    long lastMicros = Long.MIN_VALUE;
    final Names workers = new Names();
    final Names graphs = new Names();
    final Names taskGroups = new Names();
    final List<String> traces = new ArrayList<>(1);
    final ArrayDeque<Example> examples = new ArrayDeque<>();

    Group(String id, ErrorKind kind) {
      this.id = id;
      this.type = kind.type();
      this.message = kind.message();
      this.pattern = kind.pattern();
    }
  }

  private record Example(TaskEvent task, int trace) {}

  /** Up to {@link #MAX_NAMES} distinct names, and how many more there were. */
  private static final class Names {
    final Set<String> names = new LinkedHashSet<>();
    int more;

    void add(String name) {
      if (name == null || names.contains(name)) {
        return;
      }
      if (names.size() < MAX_NAMES) {
        names.add(name);
      } else {
        more++; // a name seen again past the cap counts again: "more" is at least the rest
      }
    }
  }

  /** By group key, the least recently erred first (a group that errs again moves to the end). */
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private long erred;
  private long droppedGroups;

  /** Adds a task record if it erred. */
  public void add(TaskEvent e) {
    if (!"erred".equals(e.status())) {
      return;
    }
    erred++;
    ErrorKind kind = ErrorKind.of(e.error(), e.trace(), e.key());
    String key = kind.groupKey();
    Group g = groups.remove(key);
    if (g == null) {
      g = new Group(idOf(key), kind);
      if (groups.size() >= MAX_GROUPS) {
        Iterator<Group> oldest = groups.values().iterator();
        oldest.next();
        oldest.remove();
        droppedGroups++;
      }
    }
    groups.put(key, g);
    if (kind.type().length() > g.type.length()) {
      g.type = kind.type(); // the qualified name, once a trace brings it
    }
    g.count++;
    g.firstMicros = Math.min(g.firstMicros, e.stopMicros());
    g.lastMicros = Math.max(g.lastMicros, e.stopMicros());
    g.workers.add(e.worker());
    g.graphs.add(e.graphId());
    g.taskGroups.add(e.group());
    g.examples.addFirst(new Example(slim(e), traceIndex(g, e.trace())));
    if (g.examples.size() > MAX_EXAMPLES) {
      g.examples.removeLast();
    }
  }

  /** The record without what an example does not show (its trace is kept once, in its group). */
  private static TaskEvent slim(TaskEvent e) {
    String error = e.error();
    if (error != null && error.length() > MAX_ERROR) {
      error = error.substring(0, MAX_ERROR) + "…";
    }
    return new TaskEvent(e.taskId(), e.key(), e.group(), e.graphId(), e.worker(), e.thread(), e.startMicros(),
        e.stopMicros(), e.status(), e.nbytes(), error, List.of(), List.of(), null);
  }

  private static int traceIndex(Group g, String trace) {
    if (trace == null || trace.isBlank()) {
      return -1;
    }
    int i = g.traces.indexOf(trace);
    if (i >= 0 || g.traces.size() >= MAX_TRACES) {
      return i;
    }
    g.traces.add(trace);
    return g.traces.size() - 1;
  }

  /** Every group, the most recently erred first. */
  public ErrorView.Errors view() {
    List<ErrorView.Group> out = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
      out.add(view(g));
    }
    java.util.Collections.reverse(out);
    return new ErrorView.Errors(erred, droppedGroups, MAX_GROUPS, MAX_EXAMPLES, out);
  }

  /**
   * The error of the task {@code key} of {@code graph}: its example if the log still has one, else
   * the newest erred record of it among {@code recentNewestFirst}, with its group; null if neither
   * has it (or its group was dropped).
   */
  public ErrorView.TaskError find(String graph, String key, Iterable<TaskEvent> recentNewestFirst) {
    for (Group g : groups.values()) {
      for (Example x : g.examples) {
        if (x.task().key().equals(key) && x.task().graphId().equals(graph)) {
          return taskError(g, x.task(), x.trace(), x.trace() < 0 ? null : g.traces.get(x.trace()));
        }
      }
    }
    for (TaskEvent e : recentNewestFirst) {
      if ("erred".equals(e.status()) && e.key().equals(key) && e.graphId().equals(graph)) {
        Group g = groups.get(ErrorKind.of(e.error(), e.trace(), e.key()).groupKey());
        String own = e.trace() == null || e.trace().isBlank() ? null : e.trace();
        return g == null ? null : taskError(g, slim(e), own == null ? -1 : g.traces.indexOf(own), own);
      }
    }
    return null;
  }

  private static ErrorView.TaskError taskError(Group g, TaskEvent e, int trace, String own) {
    String shown = own != null ? own : g.traces.isEmpty() ? null : g.traces.get(0);
    return new ErrorView.TaskError(example(e, trace), shown, own != null, view(g));
  }

  private static ErrorView.Group view(Group g) {
    List<ErrorView.Example> examples = new ArrayList<>(g.examples.size());
    for (Example x : g.examples) {
      examples.add(example(x.task(), x.trace()));
    }
    return new ErrorView.Group(g.id, g.type, g.message, g.pattern, g.count, millis(g.firstMicros),
        millis(g.lastMicros), List.copyOf(g.workers.names), g.workers.more, List.copyOf(g.graphs.names), g.graphs.more,
        List.copyOf(g.taskGroups.names), g.taskGroups.more, List.copyOf(g.traces), examples);
  }

  private static ErrorView.Example example(TaskEvent e, int trace) {
    return new ErrorView.Example(e.taskId(), e.key(), e.graphId(), e.group(), e.worker(), e.thread(),
        millis(e.startMicros()), millis(e.stopMicros()), e.error(), trace);
  }

  private static Number millis(long micros) {
    return micros % 1000 == 0 ? (Number) (micros / 1000) : java.math.BigDecimal.valueOf(micros, 3);
  }

  /** 16 hex digits of a 64-bit FNV-1a hash of the group key: stable across restarts. */
  static String idOf(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    return String.format("%016x", h);
  }
}
