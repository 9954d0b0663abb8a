package org.tasklane.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The most recent tasks, at most {@code capacity}, oldest first and each task once: an
 * {@link ArrayDeque} and the set of the ids it holds. Adding past the capacity drops the oldest.
 * Not thread-safe: one actor owns it.
 */
final class TaskWindow {
  private final int capacity;
  private final ArrayDeque<DashboardView.Task> tasks;
  private final Set<Long> ids = new HashSet<>();

  TaskWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.tasks = new ArrayDeque<>(Math.min(capacity, 4096));
  }

  /** Adds the task unless a task with its id is already here; true if it was added. */
  boolean add(DashboardView.Task task) {
    if (!ids.add(task.id())) {
      return false;
    }
    tasks.addLast(task);
    if (tasks.size() > capacity) {
      ids.remove(tasks.removeFirst().id());
    }
    return true;
  }

  boolean contains(long id) {
    return ids.contains(id);
  }

  /** The last {@code n} tasks (fewer if there are fewer), oldest first. */
  List<DashboardView.Task> last(int n) {
    int k = Math.min(Math.max(n, 0), tasks.size());
    List<DashboardView.Task> out = new ArrayList<>(k);
    Iterator<DashboardView.Task> it = tasks.descendingIterator();
    for (int i = 0; i < k; i++) {
      out.add(it.next());
    }
    Collections.reverse(out);
    return out;
  }

  int size() {
    return tasks.size();
  }

  int capacity() {
    return capacity;
  }

  void clear() {
    tasks.clear();
    ids.clear();
  }
}
