package org.tasklane.scheduler;

import java.util.Map;
import java.util.TreeMap;

/**
 * The held tasks by id, with no entry per task: a graph's tasks get consecutive ids when it is
 * submitted, so the graphs sorted by their first id, and the offset into the graph's array, find
 * any of them. (A {@code HashMap<Long, TaskRecord>} took about 55 bytes per task, for its entry, the
 * boxed id and its share of the table, and grew in one piece, in the old generation, for a large
 * graph.) Graphs enter and leave whole: at submit and when they are forgotten.
 */
final class TaskIndex {
  private final TreeMap<Long, GraphRecord> byFirstId = new TreeMap<>();
  private int size;
  /** The graph of the last look-up: a worker's reports mostly name tasks of one graph. */
  private GraphRecord last;

  void add(GraphRecord g) {
    if (g.tasks.length == 0) {
      return; // it has no id of its own: the next graph starts at the same one
    }
    GraphRecord before = byFirstId.putIfAbsent(g.firstTaskId, g);
    if (before != null) {
      throw new IllegalArgumentException("graph " + g.id + " takes task ids that graph " + before.id + " holds");
    }
    size += g.tasks.length;
  }

  void remove(GraphRecord g) {
    if (g.tasks.length > 0 && byFirstId.remove(g.firstTaskId, g)) {
      size -= g.tasks.length;
    }
    if (last == g) {
      last = null;
    }
  }

  /** The held task with this id, or null. */
  TaskRecord get(long id) {
    GraphRecord g = last;
    if (g == null || !g.holdsTaskId(id)) {
      Map.Entry<Long, GraphRecord> e = byFirstId.floorEntry(id);
      if (e == null || !e.getValue().holdsTaskId(id)) {
        return null;
      }
      g = e.getValue();
      last = g;
    }
    return g.tasks[(int) (id - g.firstTaskId)];
  }

  /** How many tasks the indexed graphs have. */
  int size() {
    return size;
  }
}
