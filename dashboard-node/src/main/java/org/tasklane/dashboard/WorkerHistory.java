package org.tasklane.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tasklane.protocol.DashboardProtocol;

/**
 * Each worker's own figures over time, for its page ({@code workers/NAME}): at most one point per
 * {@link #STEP_MILLIS} (the last metrics of that second win), the last {@link #CAPACITY} of them
 * (five minutes), for at most {@code maxWorkers} workers. A worker not heard from for
 * {@code keepMillis} is forgotten; past {@code maxWorkers}, the one heard from longest ago goes to
 * make room. Pure and not thread-safe: the {@link WorkerDetails} actor owns it.
 */
public final class WorkerHistory {
  /** Points per worker: five minutes at one a second. */
  public static final int CAPACITY = 300;
  public static final long STEP_MILLIS = 1000;

  /** One worker's latest identity and its points, oldest first. */
  public record Series(String name, String host, String address, long lastMillis, List<WorkerPageView.Point> points) {
    public Series {
      points = List.copyOf(points);
    }
  }

  private static final class Track {
    String host;
    String address;
    long lastMillis;
    final ArrayDeque<WorkerPageView.Point> points = new ArrayDeque<>();
  }

  private final int maxWorkers;
  private final long keepMillis;
  private final Map<String, Track> tracks = new HashMap<>();

  public WorkerHistory(int maxWorkers, long keepMillis) {
    if (maxWorkers < 1) {
      throw new IllegalArgumentException("maxWorkers must be at least 1, got " + maxWorkers);
    }
    this.maxWorkers = maxWorkers;
    this.keepMillis = keepMillis;
  }

  /** Adds the worker's figures as they came at {@code nowMillis} (the dashboard's clock). */
  public void add(DashboardProtocol.WorkerMetrics m, long nowMillis) {
    Track t = tracks.get(m.worker());
    if (t == null) {
      if (tracks.size() >= maxWorkers) {
        forgetOldest();
      }
      t = new Track();
      tracks.put(m.worker(), t);
    }
    t.host = m.host();
    t.address = m.address();
    t.lastMillis = nowMillis;
    long time = nowMillis - Math.floorMod(nowMillis, STEP_MILLIS);
    while (!t.points.isEmpty() && t.points.peekLast().time() >= time) {
      t.points.removeLast(); // the same second again (or the clock went back)
    }
    t.points.addLast(pointOf(m, time));
    while (t.points.size() > CAPACITY || t.points.peekFirst().time() <= time - CAPACITY * STEP_MILLIS) {
      t.points.removeFirst();
    }
  }

  /** Forgets the workers not heard from for the keep time. */
  public void prune(long nowMillis) {
    tracks.values().removeIf(t -> nowMillis - t.lastMillis > keepMillis);
  }

  /** The worker's series, or null if it is not known (never heard of, or forgotten). */
  public Series get(String name) {
    Track t = tracks.get(name);
    return t == null ? null : new Series(name, t.host, t.address, t.lastMillis, new ArrayList<>(t.points));
  }

  /** How many workers it keeps figures of. */
  public int size() {
    return tracks.size();
  }

  private void forgetOldest() {
    String oldest = null;
    long at = Long.MAX_VALUE;
    for (Map.Entry<String, Track> e : tracks.entrySet()) {
      if (e.getValue().lastMillis < at) {
        at = e.getValue().lastMillis;
        oldest = e.getKey();
      }
    }
    tracks.remove(oldest);
  }

  static WorkerPageView.Point pointOf(DashboardProtocol.WorkerMetrics m, long time) {
    DashboardProtocol.WorkerFigures f = m.figures();
    return new WorkerPageView.Point(time, f.process().cpuPercent(), f.process().rssBytes(),
        f.process().memoryLimitBytes(), m.nthreads(), f.tasks().executing(), f.tasks().queued(), f.tasks().heldBytes(),
        f.host().netIn(), f.host().netOut(), f.host().diskRead(), f.host().diskWrite());
  }
}
