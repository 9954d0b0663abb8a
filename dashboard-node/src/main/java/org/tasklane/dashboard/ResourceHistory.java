package org.tasklane.dashboard;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The cluster's resource plot: at most one {@link DashboardView.ResourcePoint} per second, for the
 * last {@link #CAPACITY} seconds (five minutes), oldest first.
 *
 * <p>A point's {@code time} is the start of its second (epoch ms, a multiple of 1000). Recording a
 * point first drops every point whose time is not before it (so a second point in the same second
 * replaces the first, and a clock set back forgets what now lies in the future), then appends it,
 * then drops the points that are more than five minutes older than it or past the capacity. A page
 * that keeps its own copy applies the same rule to each point it is sent (docs/dashboard.md).
 * Pure, and not thread-safe: the {@link Dashboard} actor owns it and records from its one-second
 * timer.
 */
public final class ResourceHistory {

  /** Points kept: five minutes at one a second. */
  public static final int CAPACITY = 300;
  /** One point per this many milliseconds at most. */
  public static final long STEP_MILLIS = 1000;

  private final int capacity;
  private final ArrayDeque<DashboardView.ResourcePoint> points = new ArrayDeque<>();

  public ResourceHistory() {
    this(CAPACITY);
  }

  ResourceHistory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** The point of the cluster at {@code nowMillis}, from the worker table's rows. */
  public static DashboardView.ResourcePoint pointOf(List<DashboardView.Worker> rows, long nowMillis) {
    double cpu = 0;
    long memory = 0;
    long memoryLimit = 0;
    long managed = 0;
    long unmanaged = 0;
    long spilled = 0;
    for (DashboardView.Worker w : rows) {
      cpu += w.figures().process().cpuPercent();
      memory += w.figures().process().rssBytes();
      memoryLimit += w.figures().process().memoryLimitBytes();
      managed += w.figures().memory().managedBytes();
      unmanaged += w.figures().memory().unmanagedBytes();
      spilled += w.figures().memory().spilledBytes();
    }
    return new DashboardView.ResourcePoint(secondOf(nowMillis), WorkerTable.tenths(cpu), memory, memoryLimit,
        rows.size(), managed, unmanaged, spilled);
  }

  /** The start of the second {@code millis} lies in. */
  static long secondOf(long millis) {
    return Math.floorDiv(millis, STEP_MILLIS) * STEP_MILLIS;
  }

  /**
   * Records a point (its time is taken to the start of its second), as the class comment says.
   *
   * @return the point as kept: what the {@code resources} event tells browsers
   */
  public DashboardView.ResourcePoint record(DashboardView.ResourcePoint p) {
    DashboardView.ResourcePoint point = p.time() % STEP_MILLIS == 0 ? p
        : new DashboardView.ResourcePoint(secondOf(p.time()), p.cpu(), p.memory(), p.memoryLimit(), p.workers(),
            p.managed(), p.unmanaged(), p.spilled());
    while (!points.isEmpty() && points.peekLast().time() >= point.time()) {
      points.removeLast();
    }
    points.addLast(point);
    long oldest = point.time() - capacity * STEP_MILLIS;
    while (points.size() > capacity || points.peekFirst().time() <= oldest) {
      points.removeFirst();
    }
    return point;
  }

  /** Every point kept, oldest first. */
  public List<DashboardView.ResourcePoint> points() {
    return List.copyOf(points);
  }

  public int size() {
    return points.size();
  }

  public int capacity() {
    return capacity;
  }
}
