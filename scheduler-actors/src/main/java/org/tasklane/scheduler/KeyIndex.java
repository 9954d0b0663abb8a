package org.tasklane.scheduler;

import org.tasklane.protocol.KeySlots;

/**
 * A graph's tasks by key: a {@link KeySlots} table of positions in the graph's task array, 6 to 12
 * bytes a task where a {@code HashMap} took about 40 (an entry object per task and its slot). Made
 * once, when the graph is submitted; never changed.
 */
final class KeyIndex {
  static final KeyIndex EMPTY = new KeyIndex(TaskRecord.NO_TASKS);

  private final TaskRecord[] tasks;
  private final KeySlots slots;

  /** @throws IllegalArgumentException if two tasks have the same key (the graph's validation refuses that first) */
  KeyIndex(TaskRecord[] tasks) {
    this.tasks = tasks;
    this.slots = new KeySlots(tasks.length, i -> tasks[i].key);
    for (int i = 0; i < tasks.length; i++) {
      if (slots.putIfAbsent(i) >= 0) {
        throw new IllegalArgumentException("two tasks have the key " + tasks[i].key);
      }
    }
  }

  /** The task with this key, or null. */
  TaskRecord get(String key) {
    int at = slots.get(key);
    return at < 0 ? null : tasks[at];
  }
}
