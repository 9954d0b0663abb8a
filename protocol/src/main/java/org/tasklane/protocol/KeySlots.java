package org.tasklane.protocol;

import java.util.function.IntFunction;

/**
 * Positions in a list of tasks by key: an open-addressed table of positions, 4 bytes a slot and
 * at most two thirds full, so 6 to 12 bytes a task where a {@code HashMap<String, Integer>} takes
 * about 56 (an entry and a boxed position per task). The keys are not copied: the table asks
 * {@code keyAt} for the key at a position. Sized once for {@code size} tasks; positions are added
 * one by one, never removed.
 */
public final class KeySlots {
  private final IntFunction<String> keyAt;
  /** A position plus one; 0 for an empty slot. */
  private final int[] slots;

  public KeySlots(int size, IntFunction<String> keyAt) {
    this.keyAt = keyAt;
    this.slots = new int[Integer.highestOneBit(Math.max(2, size + size / 2) - 1) << 1];
  }

  /**
   * Adds the task at {@code position} (0 up to the size, exclusive) unless one with its key is in
   * the table already; returns that one's position, or -1 if this one was added.
   */
  public int putIfAbsent(int position) {
    int slot = slotOf(keyAt.apply(position));
    if (slots[slot] != 0) {
      return slots[slot] - 1;
    }
    slots[slot] = position + 1;
    return -1;
  }

  /** The position of the task with this key, or -1. */
  public int get(String key) {
    return slots[slotOf(key)] - 1;
  }

  /** The slot that holds {@code key}, or the empty one where it would go. */
  private int slotOf(String key) {
    int mask = slots.length - 1;
    int h = key.hashCode();
    int slot = (h ^ (h >>> 16)) & mask;
    while (slots[slot] != 0 && !keyAt.apply(slots[slot] - 1).equals(key)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }
}
