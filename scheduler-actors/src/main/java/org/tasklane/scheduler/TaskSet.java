package org.tasklane.scheduler;

import java.util.AbstractSet;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A set of tasks, by identity, in one open-addressed array hashed on their ids: no object per
 * member (a {@code LinkedHashSet} took an entry of 40 bytes for each, allocated when a result came
 * and dropped when it was released), 4 bytes a slot, at most two thirds full. What a worker holds:
 * one add and one remove per task run, tens of thousands of members. Iterates in the order of its slots, which
 * follows from the members' ids and the order they came in, never from identity hash codes: the
 * same events give the same order in every run. Not thread-safe.
 */
final class TaskSet extends AbstractSet<TaskRecord> {
  private static final int MIN_CAPACITY = 8;

  private TaskRecord[] slots = new TaskRecord[MIN_CAPACITY];
  private int size;
  private int changes;

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof TaskRecord t && slots[slotOf(t)] == t;
  }

  @Override
  public boolean add(TaskRecord t) {
    int slot = slotOf(t);
    if (slots[slot] == t) {
      return false;
    }
    slots[slot] = t;
    size++;
    changes++;
    if (size * 3 > slots.length * 2) {
      resize(slots.length * 2);
    }
    return true;
  }

  @Override
  public boolean remove(Object o) {
    if (!(o instanceof TaskRecord t)) {
      return false;
    }
    int slot = slotOf(t);
    if (slots[slot] != t) {
      return false;
    }
    deleteAt(slot);
    if (slots.length > MIN_CAPACITY && size * 8 < slots.length) {
      resize(slots.length / 2);
    }
    return true;
  }

  @Override
  public void clear() {
    slots = new TaskRecord[MIN_CAPACITY];
    size = 0;
    changes++;
  }

  @Override
  public Iterator<TaskRecord> iterator() {
    return new Iterator<>() {
      private final int expected = changes;
      private int next = advance(0);

      private int advance(int from) {
        while (from < slots.length && slots[from] == null) {
          from++;
        }
        return from;
      }

      @Override
      public boolean hasNext() {
        return next < slots.length;
      }

      @Override
      public TaskRecord next() {
        if (changes != expected) {
          throw new ConcurrentModificationException("a TaskSet changed while it was read");
        }
        if (next >= slots.length) {
          throw new NoSuchElementException();
        }
        TaskRecord t = slots[next];
        next = advance(next + 1);
        return t;
      }
    };
  }

  private static int home(TaskRecord t, int mask) {
    long h = t.id * 0x9E3779B97F4A7C15L; // Fibonacci hashing: consecutive ids spread over the table
    return (int) (h >>> 32) & mask;
  }

  /** The slot that holds {@code t}, or the empty one where it would go. */
  private int slotOf(TaskRecord t) {
    int mask = slots.length - 1;
    int slot = home(t, mask);
    while (slots[slot] != null && slots[slot] != t) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** Empties the slot and moves later members of its run back, so that every member stays reachable from its home. */
  private void deleteAt(int slot) {
    int mask = slots.length - 1;
    slots[slot] = null;
    size--;
    changes++;
    int gap = slot;
    for (int i = (slot + 1) & mask; slots[i] != null; i = (i + 1) & mask) {
      int h = home(slots[i], mask);
      // the member at i may fill the gap if its home is not in (gap, i] (cyclically)
      boolean homeAfterGap = gap <= i ? (h > gap && h <= i) : (h > gap || h <= i);
      if (!homeAfterGap) {
        slots[gap] = slots[i];
        slots[i] = null;
        gap = i;
      }
    }
  }

  private void resize(int capacity) {
    TaskRecord[] old = slots;
    slots = new TaskRecord[capacity];
    for (TaskRecord t : old) {
      if (t != null) {
        slots[slotOf(t)] = t;
      }
    }
  }
}
