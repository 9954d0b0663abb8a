package org.tasklane.scheduler;

import java.util.ArrayList;
import java.util.List;
import org.tasklane.protocol.TaskState;

/**
 * The latest task transitions of one {@link TaskTable}, oldest overwritten first: a ring of a fixed
 * size ({@code tasklane.scheduler.transition-log}), for "why is this task still waiting?". Kept in
 * parallel arrays so that recording one costs no allocation; it holds ids and strings, never a task
 * record, so a forgotten graph is not kept alive by it.
 */
final class TransitionLog {
  private static final TaskState[] STATES = TaskState.values();

  /** One transition as read back. {@code seq} counts every transition the table made, from 1. */
  record Entry(long seq, long taskId, String graphId, String key, TaskState from, TaskState to, String cause) {
    @Override
    public String toString() {
      return "#" + seq + " " + key + ": " + from.jsonName() + " -> " + to.jsonName() + " (" + cause + ")";
    }
  }

  private final long[] taskIds;
  private final String[] graphIds;
  private final String[] keys;
  private final byte[] from;
  private final byte[] to;
  private final String[] causes;
  private long seq;

  TransitionLog(int size) {
    taskIds = new long[size];
    graphIds = new String[size];
    keys = new String[size];
    from = new byte[size];
    to = new byte[size];
    causes = new String[size];
  }

  int capacity() {
    return taskIds.length;
  }

  /** How many transitions were recorded in all (also those overwritten since). */
  long recorded() {
    return seq;
  }

  void record(TaskRecord t, TaskState was, TaskState now, String cause) {
    seq++;
    if (taskIds.length == 0) {
      return;
    }
    int i = (int) ((seq - 1) % taskIds.length);
    taskIds[i] = t.id;
    graphIds[i] = t.graph.id;
    keys[i] = t.key;
    from[i] = (byte) was.ordinal();
    to[i] = (byte) now.ordinal();
    causes[i] = cause;
  }

  /** The kept transitions of one task, oldest first, at most {@code max} (the latest ones). */
  List<Entry> of(long taskId, int max) {
    List<Entry> out = new ArrayList<>();
    long first = Math.max(1, seq - taskIds.length + 1);
    for (long s = seq; s >= first && out.size() < max; s--) {
      int i = (int) ((s - 1) % taskIds.length);
      if (taskIds[i] == taskId) {
        out.add(0, entry(s, i));
      }
    }
    return out;
  }

  /** The latest {@code n} transitions kept, oldest first. */
  List<Entry> last(int n) {
    List<Entry> out = new ArrayList<>();
    long first = Math.max(Math.max(1, seq - taskIds.length + 1), seq - n + 1);
    for (long s = first; s <= seq; s++) {
      out.add(entry(s, (int) ((s - 1) % taskIds.length)));
    }
    return out;
  }

  private Entry entry(long s, int i) {
    return new Entry(s, taskIds[i], graphIds[i], keys[i], STATES[from[i]], STATES[to[i]], causes[i]);
  }
}
