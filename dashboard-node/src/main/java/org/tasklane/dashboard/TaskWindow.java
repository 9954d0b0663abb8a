package org.tasklane.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.tasklane.dashboard.history.RecentIds;
import org.tasklane.protocol.DashboardProtocol;

/**
 * The most recent tasks, at most {@code capacity}, oldest first and each task once: an
 * {@link ArrayDeque} and the {@link RecentIds} it holds. Adding past the capacity drops the oldest.
 * It keeps the scheduler's records as they came and makes the browsers' {@link DashboardView.Task}
 * only of those read: at high rates most records leave the window unread. Not thread-safe: one
 * actor owns it.
 */
final class TaskWindow {
  private final int capacity;
  private final ArrayDeque<DashboardProtocol.TaskEvent> tasks;
  private final RecentIds ids;

  TaskWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.tasks = new ArrayDeque<>(Math.min(capacity, 4096));
    this.ids = new RecentIds(capacity);
  }

  /** Adds the task unless a task with its id is already here; true if it was added. */
  boolean add(DashboardProtocol.TaskEvent task) {
    if (!ids.add(task.taskId())) {
      return false;
    }
    tasks.addLast(task);
    if (tasks.size() > capacity) {
      tasks.removeFirst(); // the ids forgot the same oldest one
    }
    return true;
  }

  /** The last {@code n} tasks (fewer if there are fewer), oldest first. */
  List<DashboardView.Task> last(int n) {
    int k = Math.min(Math.max(n, 0), tasks.size());
    List<DashboardView.Task> out = new ArrayList<>(k);
    Iterator<DashboardProtocol.TaskEvent> it = tasks.descendingIterator();
    for (int i = 0; i < k; i++) {
      out.add(DashboardView.Task.of(it.next()));
    }
    Collections.reverse(out);
    return out;
  }

  /** The tasks, newest first (a view: read it before the next add). */
  Iterable<DashboardProtocol.TaskEvent> newestFirst() {
    return tasks::descendingIterator;
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
