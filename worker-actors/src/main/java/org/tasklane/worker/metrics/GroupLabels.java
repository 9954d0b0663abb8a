package org.tasklane.worker.metrics;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Bounds the {@code group} label of a worker's task-duration histogram: at most {@code max} task
 * groups have a series of their own at once. A new group takes the place of the least recently
 * seen one if that has been idle for {@code idleNanos} (its series is removed, and counts from 0
 * if the group comes back, which {@code rate()} takes as a reset); otherwise it is counted as
 * {@link #OTHER}. Not thread-safe: the worker actor alone calls it.
 */
final class GroupLabels {
  /** The label of every group beyond the limit. */
  static final String OTHER = "other";

  private final int max;
  private final long idleNanos;
  /** Groups with a series, least recently seen first, with when they were last seen (System.nanoTime). */
  private final LinkedHashMap<String, Long> lastSeen = new LinkedHashMap<>(16, 0.75f, true);

  GroupLabels(int max, long idleNanos) {
    if (max < 1) {
      throw new IllegalArgumentException("max-groups must be at least 1, got " + max);
    }
    this.max = max;
    this.idleNanos = idleNanos;
  }

  /**
   * The label for a task of {@code group} seen at {@code nowNanos}; {@code evicted} is told of a
   * group whose series must go to make room.
   */
  String labelOf(String group, long nowNanos, Consumer<String> evicted) {
    if (OTHER.equals(group)) {
      return OTHER; // a user's group named "other" shares the overflow's series
    }
    if (lastSeen.containsKey(group)) {
      lastSeen.put(group, nowNanos);
      return group;
    }
    if (lastSeen.size() >= max) {
      Iterator<Map.Entry<String, Long>> eldest = lastSeen.entrySet().iterator();
      Map.Entry<String, Long> e = eldest.next();
      if (nowNanos - e.getValue() < idleNanos) {
        return OTHER;
      }
      eldest.remove();
      evicted.accept(e.getKey());
    }
    lastSeen.put(group, nowNanos);
    return group;
  }

  /** Groups with a series of their own now. */
  int size() {
    return lastSeen.size();
  }
}
