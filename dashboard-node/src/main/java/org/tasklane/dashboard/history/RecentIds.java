package org.tasklane.dashboard.history;

/**
 * The last {@code capacity} task ids added, each once: adding past the capacity forgets the oldest.
 * Ids in a ring (their order) and in an open-addressed table of longs (to look them up), so that
 * a task costs no boxed {@code Long} and no map entry: every task record of the cluster passes
 * through here, and a set of objects that each live a fraction of a second is what a small young
 * generation promotes. Not thread-safe.
 */
public final class RecentIds {
  private final long[] ring;
  private int oldest;
  private int size;
  private final long[] keys;
  private final boolean[] used;
  private final int mask;

  public RecentIds(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    ring = new long[capacity];
    int slots = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1; // at most half full
    keys = new long[slots];
    used = new boolean[slots];
    mask = slots - 1;
  }

  /** Adds the id unless it is here; true if it was added (and the oldest forgotten if it was full). */
  public boolean add(long id) {
    int slot = slotOf(id);
    if (used[slot]) {
      return false;
    }
    if (size == ring.length) {
      delete(slotOf(ring[oldest]));
      oldest = (oldest + 1) % ring.length;
      size--;
      slot = slotOf(id); // the delete may have moved the run this id probes
    }
    used[slot] = true;
    keys[slot] = id;
    ring[(oldest + size) % ring.length] = id;
    size++;
    return true;
  }

  public boolean contains(long id) {
    return used[slotOf(id)];
  }

  public int size() {
    return size;
  }

  public void clear() {
    java.util.Arrays.fill(used, false);
    oldest = 0;
    size = 0;
  }

  private int home(long id) {
    long h = id * 0x9E3779B97F4A7C15L; // consecutive ids spread over the table
    return (int) (h >>> 32) & mask;
  }

  /** The slot that holds {@code id}, or the empty one where it would go. */
  private int slotOf(long id) {
    int slot = home(id);
    while (used[slot] && keys[slot] != id) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** Empties the slot and moves later members of its run back, so that each stays reachable from its home. */
  private void delete(int slot) {
    used[slot] = false;
    int gap = slot;
    for (int i = (slot + 1) & mask; used[i]; i = (i + 1) & mask) {
      int h = home(keys[i]);
      boolean homeAfterGap = gap <= i ? (h > gap && h <= i) : (h > gap || h <= i);
      if (!homeAfterGap) {
        keys[gap] = keys[i];
        used[gap] = true;
        used[i] = false;
        gap = i;
      }
    }
  }
}
