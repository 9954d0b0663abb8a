package org.tasklane.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.TaskReport;

/**
 * What the scheduler tells dashboards: it collects the tasks that ran and, every ~50 ms, turns
 * them and the group counts that changed into one {@link DashboardProtocol.SchedulerEvents} batch.
 * Its work per batch does not depend on how many dashboards or browsers listen. Everything it
 * holds is bounded: at most {@link #MAX_TASKS_PER_BATCH} tasks go in one batch, the newest (the
 * older ones are counted as dropped: a browser shows the last 1,000 anyway), so a batch stays far
 * below Artery's frame size and at most 20,000 task records a second cross to each dashboard; the
 * last {@link #RECENT_TASKS} are kept for snapshots.
 */
final class DashboardFeed implements TaskTable.Observer {
  static final int MAX_TASKS_PER_BATCH = 1_000;
  static final int RECENT_TASKS = 20_000;

  private final String incarnation;
  private final java.util.function.Function<String, org.tasklane.protocol.WorkerInfo> infoOf;
  private final java.util.function.ToDoubleFunction<String> latencyOf;
  private long seq;
  private final ArrayDeque<DashboardProtocol.TaskEvent> pending = new ArrayDeque<>();
  private long dropped;
  private final ArrayDeque<DashboardProtocol.TaskEvent> recent = new ArrayDeque<>();
  private List<DashboardProtocol.WorkerSummary> lastWorkers = List.of();

  /**
   * @param infoOf what a registered worker said about itself (its host and address)
   * @param latencyOf the scheduler's round trip to a worker, milliseconds
   */
  DashboardFeed(String incarnation, java.util.function.Function<String, org.tasklane.protocol.WorkerInfo> infoOf,
      java.util.function.ToDoubleFunction<String> latencyOf) {
    this.incarnation = incarnation;
    this.infoOf = infoOf;
    this.latencyOf = latencyOf;
  }

  @Override
  public void taskRan(TaskRecord t, String worker, TaskReport r) {
    DashboardProtocol.TaskEvent e = new DashboardProtocol.TaskEvent(
        t.id, t.key, t.group.name, t.graph.id, worker, r.thread(), r.startMicros(), r.stopMicros(),
        r.outcome() == TaskReport.Outcome.OK ? "memory" : "erred", r.nbytes(), r.error(), r.transfers());
    pending.addLast(e);
    if (pending.size() > MAX_TASKS_PER_BATCH) {
      pending.removeFirst();
      dropped++;
    }
    recent.addLast(e);
    if (recent.size() > RECENT_TASKS) {
      recent.removeFirst();
    }
  }

  /** The next batch, or null if nothing changed since the last one. */
  DashboardProtocol.SchedulerEvents nextBatch(TaskTable table) {
    TaskTable.GroupChanges groups = table.drainGroupChanges();
    List<DashboardProtocol.WorkerSummary> workers = workerSummaries(table);
    boolean workersChanged = !workers.equals(lastWorkers);
    if (groups.isEmpty() && pending.isEmpty() && dropped == 0 && !workersChanged) {
      return null;
    }
    lastWorkers = workers;
    DashboardProtocol.SchedulerEvents batch = new DashboardProtocol.SchedulerEvents(
        incarnation, ++seq, System.currentTimeMillis(), groups.changed(), groups.removed(), new ArrayList<>(pending), dropped,
        workersChanged ? workers : List.of(), workersChanged, List.of());
    pending.clear();
    dropped = 0;
    return batch;
  }

  /** The whole current state, for a dashboard that joins or lost track; later batches apply on top. */
  DashboardProtocol.Snapshot snapshot(TaskTable table) {
    return new DashboardProtocol.Snapshot(incarnation, seq, System.currentTimeMillis(), table.groupProgress(),
        new ArrayList<>(recent), workerSummaries(table), List.of());
  }

  private List<DashboardProtocol.WorkerSummary> workerSummaries(TaskTable table) {
    List<DashboardProtocol.WorkerSummary> out = new ArrayList<>();
    for (WorkerRecord w : table.workers()) {
      org.tasklane.protocol.WorkerInfo info = infoOf.apply(w.name);
      out.add(new DashboardProtocol.WorkerSummary(w.name, info == null ? "" : info.host(),
          info == null ? "" : info.address(), w.nthreads, w.processing.size(), w.holds.size(), w.heldBytes,
          Math.round(latencyOf.applyAsDouble(w.name) * 100) / 100.0));
    }
    return out;
  }
}
