package org.tasklane.scheduler;

/**
 * A graph's tasks by key: an open-addressed table of positions in the graph's task array, 4 bytes
 * a slot and at most two thirds full, so 6 to 12 bytes a task where a {@code HashMap} took about 40
 * (an entry object per task and its slot). Made once, when the graph is submitted; never changed.
 */
final class KeyIndex {
  static final KeyIndex EMPTY = new KeyIndex(TaskRecord.NO_TASKS);

  private final TaskRecord[] tasks;
  /** A task's position in {@link #tasks} plus one; 0 for an empty slot. */
  private final int[] slots;

  /** @throws IllegalArgumentException if two tasks have the same key (the graph's validation refuses that first) */
  KeyIndex(TaskRecord[] tasks) {
    this.tasks = tasks;
    int capacity = Integer.highestOneBit(Math.max(2, tasks.length + tasks.length / 2) - 1) << 1;
    this.slots = new int[capacity];
    for (int i = 0; i < tasks.length; i++) {
      int slot = slotOf(tasks[i].key);
      if (slots[slot] != 0) {
        throw new IllegalArgumentException("two tasks have the key " + tasks[i].key);
      }
      slots[slot] = i + 1;
    }
  }

  /** The task with this key, or null. */
  TaskRecord get(String key) {
    int at = slots[slotOf(key)];
    return at == 0 ? null : tasks[at - 1];
  }

  /** The slot that holds {@code key}, or the empty one where it would go. */
  private int slotOf(String key) {
    int mask = slots.length - 1;
    int h = key.hashCode();
    int slot = (h ^ (h >>> 16)) & mask;
    while (slots[slot] != 0 && !tasks[slots[slot] - 1].key.equals(key)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }
}
