package org.tasklane.dashboard.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;
import org.tasklane.protocol.DashboardProtocol.WorkerMetrics;

/**
 * The worker table over the run's time: per worker, its figures at up to {@link #MAX_POINTS} evenly
 * spaced moments (the last sample in each interval), and how many task runs the records put on it.
 * Bounded to {@link #MAX_WORKERS} workers (by name order; the rest counted in {@link Table#otherWorkers()}).
 */
public final class WorkerSeries {
  static final int MAX_POINTS = 120;
  static final int MAX_WORKERS = 500;

  /** One sample: {@code timeMillis} epoch ms, {@code cpu} percent of one core, memory in bytes. */
  public record Point(long timeMillis, double cpu, long memory, long memoryLimit, int executing, long tasksCompleted) {}

  public record Worker(String name, String host, int nthreads, long runs, List<Point> points) {}

  public record Table(List<Worker> workers, int otherWorkers, long intervalMillis) {}

  private WorkerSeries() {}

  public static Table of(List<WorkerMetrics> metrics, List<TaskEvent> runs) {
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (WorkerMetrics m : metrics) {
      from = Math.min(from, m.timeMillis());
      to = Math.max(to, m.timeMillis());
    }
    long interval = from > to ? 1 : Math.max(1, (to - from + MAX_POINTS) / MAX_POINTS);
    Map<String, long[]> runCounts = new java.util.HashMap<>();
    for (TaskEvent t : runs) {
      runCounts.computeIfAbsent(String.valueOf(t.worker()), w -> new long[1])[0]++;
    }
    Map<String, TreeMap<Long, WorkerMetrics>> buckets = new TreeMap<>(TraceExport::natural);
    for (WorkerMetrics m : metrics) {
      TreeMap<Long, WorkerMetrics> b = buckets.computeIfAbsent(m.worker(), w -> new TreeMap<>());
      long bucket = (m.timeMillis() - from) / interval;
      WorkerMetrics old = b.get(bucket);
      if (old == null || old.timeMillis() <= m.timeMillis()) {
        b.put(bucket, m);
      }
    }
    for (String w : runCounts.keySet()) {
      buckets.computeIfAbsent(w, x -> new TreeMap<>());
    }
    List<Worker> workers = new ArrayList<>();
    int other = 0;
    for (var e : buckets.entrySet()) {
      if (workers.size() >= MAX_WORKERS) {
        other++;
        continue;
      }
      List<Point> points = new ArrayList<>();
      String host = "";
      int nthreads = 0;
      for (WorkerMetrics m : e.getValue().values()) {
        points.add(new Point(m.timeMillis(), m.figures().process().cpuPercent(), m.figures().process().rssBytes(),
            m.figures().process().memoryLimitBytes(), m.figures().tasks().executing(), m.figures().tasks().completed()));
        host = m.host();
        nthreads = m.nthreads();
      }
      long[] n = runCounts.get(e.getKey());
      workers.add(new Worker(e.getKey(), host, nthreads, n == null ? 0 : n[0], List.copyOf(points)));
    }
    return new Table(List.copyOf(workers), other, interval);
  }
}
