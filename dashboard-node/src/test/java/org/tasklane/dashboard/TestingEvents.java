package org.tasklane.dashboard;

import java.util.ArrayList;
import java.util.List;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.Transfer;
import org.tasklane.protocol.api.GroupProgress;

/** Protocol messages for tests, as the scheduler and workers would publish them. */
public final class TestingEvents {
  private TestingEvents() {}

  public static final long T0_MICROS = 1_700_000_000_000_000L;

  public static GroupProgress group(String name, int total, int memory, int released, int erred, int processing) {
    return new GroupProgress(name, total, memory, released, erred, processing,
        total - memory - released - erred - processing);
  }

  /** A task that ran 1.5 ms on w1, with one input fetched from w2. */
  public static DashboardProtocol.TaskEvent task(long id, String key) {
    long start = T0_MICROS + id * 10_000 + 123;
    return new DashboardProtocol.TaskEvent(id, key, key.replaceAll("-\\d+$", ""), "graph-1", "w1", "lane-0", start,
        start + 1_500, "memory", 64, null,
        List.of(new Transfer(id + 1_000_000, "dep-" + id, "w2", 2048, start - 500, start - 100)));
  }

  public static DashboardProtocol.TaskEvent erred(long id, String key, String error) {
    DashboardProtocol.TaskEvent t = task(id, key);
    return new DashboardProtocol.TaskEvent(t.taskId(), t.key(), t.group(), t.graphId(), t.worker(), t.thread(),
        t.startMicros(), t.stopMicros(), "erred", 0, error, List.of());
  }

  /** Tasks with ids from..to (inclusive), keys "inc-ID". */
  public static List<DashboardProtocol.TaskEvent> tasks(long from, long to) {
    List<DashboardProtocol.TaskEvent> out = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      out.add(task(id, "inc-" + id));
    }
    return out;
  }

  public static DashboardProtocol.SchedulerEvents batch(
      String incarnation, long seq, List<GroupProgress> groups, List<String> removed,
      List<DashboardProtocol.TaskEvent> tasks) {
    return new DashboardProtocol.SchedulerEvents(incarnation, seq, System.currentTimeMillis(), groups, removed, tasks,
        0, List.of(), false, List.of());
  }

  public static DashboardProtocol.SchedulerEvents groupsBatch(String incarnation, long seq, GroupProgress... groups) {
    return batch(incarnation, seq, List.of(groups), List.of(), List.of());
  }

  public static DashboardProtocol.SchedulerEvents workersBatch(
      String incarnation, long seq, DashboardProtocol.WorkerSummary... workers) {
    return new DashboardProtocol.SchedulerEvents(incarnation, seq, System.currentTimeMillis(), List.of(), List.of(),
        List.of(), 0, List.of(workers), true, List.of());
  }

  public static DashboardProtocol.Snapshot snapshot(
      String incarnation, long seq, List<GroupProgress> groups, List<DashboardProtocol.TaskEvent> tasks,
      List<DashboardProtocol.WorkerSummary> workers) {
    return new DashboardProtocol.Snapshot(incarnation, seq, System.currentTimeMillis(), groups, tasks, workers, List.of());
  }

  public static DashboardProtocol.WorkerSummary summary(String name, int nthreads, int processing) {
    return new DashboardProtocol.WorkerSummary(name, "10.0.0." + name.length(), "pekko://tasklane@10.0.0.1:" + name.length(),
        nthreads, processing, 3, 3000, 0.5);
  }

  public static DashboardProtocol.WorkerMetrics metrics(String name, long seq, int executing, int queued) {
    return TestingMetrics.flat(name, "winc-" + name, seq, System.currentTimeMillis(), "host-" + name,
        "pekko://tasklane@127.0.0.1:2552", 4, executing, queued, 5, 5000, 1, 100, 2, 200, 42,
        25.0, 200_000_000L, 1_000_000_000L, 1000.0, 2000.0, 0.0, 512.0);
  }
}
