package org.tasklane.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.WorkerInfo;

/**
 * What the scheduler tells dashboards: it collects the record of every task that ran and, on each
 * publish tick (~50 ms, never per report), turns them, the group counts and the graphs that changed
 * into {@link DashboardProtocol.SchedulerEvents} batches. Its work per tick does not depend on how
 * many dashboards or browsers listen.
 *
 * <p>Every task record is published: a tick's tasks go out, oldest first, in as many batches of at
 * most {@link #MAX_TASKS_PER_BATCH} as they need (so each stays far below Artery's frame size),
 * each with its own {@code seq}. All but the last carry tasks only; the last carries the rest
 * (groups, removed groups, dropped count, workers, graphs) as they are after all of the tick's
 * tasks, so that a graph's {@code done} follows its last task.
 *
 * <p>Bounded: at most {@code maxPendingTasks} records wait for the next tick (a tick that comes late
 * because the scheduler is busy); past that the oldest are dropped and counted in
 * {@code droppedTasks}, and dashboards mark the runs of that moment partial. The last
 * {@link #RECENT_TASKS} records are kept for snapshots.
 */
final class DashboardFeed implements TaskTable.Observer {
  static final int MAX_TASKS_PER_BATCH = 1_000;
  static final int RECENT_TASKS = 20_000;

  private final String incarnation;
  private final Function<String, WorkerInfo> infoOf;
  private final ToDoubleFunction<String> latencyOf;
  private final int maxPendingTasks;
  private long seq;
  private final ArrayDeque<DashboardProtocol.TaskEvent> pending = new ArrayDeque<>();
  private long dropped;
  private final ArrayDeque<DashboardProtocol.TaskEvent> recent = new ArrayDeque<>();
  private List<DashboardProtocol.WorkerSummary> lastWorkers = List.of();

  /**
   * @param infoOf what a registered worker said about itself (its host and address)
   * @param latencyOf the scheduler's round trip to a worker, milliseconds
   * @param maxPendingTasks the most task records held between ticks
   *     ({@code tasklane.scheduler.dashboard-feed.max-pending-tasks})
   */
  DashboardFeed(String incarnation, Function<String, WorkerInfo> infoOf, ToDoubleFunction<String> latencyOf,
      int maxPendingTasks) {
    if (maxPendingTasks < 1) {
      throw new IllegalArgumentException("maxPendingTasks must be at least 1, got " + maxPendingTasks);
    }
    this.incarnation = incarnation;
    this.infoOf = infoOf;
    this.latencyOf = latencyOf;
    this.maxPendingTasks = maxPendingTasks;
  }

  @Override
  public void taskRan(TaskRecord t, String worker, TaskReport r) {
    DashboardProtocol.TaskEvent e = new DashboardProtocol.TaskEvent(
        t.id, t.key, t.group.name, t.graph.id, worker, r.thread(), r.startMicros(), r.stopMicros(),
        r.outcome() == TaskReport.Outcome.OK ? "memory" : "erred", r.nbytes(), r.error(), r.transfers(), depIds(t));
    pending.addLast(e);
    if (pending.size() > maxPendingTasks) {
      pending.removeFirst();
      dropped++;
    }
    recent.addLast(e);
    if (recent.size() > RECENT_TASKS) {
      recent.removeFirst();
    }
  }

  private static List<Long> depIds(TaskRecord t) {
    TaskRecord[] deps = t.deps;
    if (deps.length == 0) {
      return List.of();
    }
    Long[] ids = new Long[deps.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = deps[i].id;
    }
    return List.of(ids);
  }

  /**
   * This tick's batches, in the order to publish them (consecutive {@code seq}s); none if nothing
   * changed since the last tick.
   */
  List<DashboardProtocol.SchedulerEvents> nextBatches(TaskTable table) {
    TaskTable.GroupChanges groups = table.drainGroupChanges();
    List<DashboardProtocol.GraphEvent> graphs = table.drainGraphChanges();
    List<DashboardProtocol.WorkerSummary> workers = workerSummaries(table);
    boolean workersChanged = !workers.equals(lastWorkers);
    if (groups.isEmpty() && graphs.isEmpty() && pending.isEmpty() && dropped == 0 && !workersChanged) {
      return List.of();
    }
    lastWorkers = workers;
    long now = System.currentTimeMillis();
    List<DashboardProtocol.SchedulerEvents> out = new ArrayList<>(pending.size() / MAX_TASKS_PER_BATCH + 1);
    while (pending.size() > MAX_TASKS_PER_BATCH) {
      out.add(new DashboardProtocol.SchedulerEvents(incarnation, ++seq, now, List.of(), List.of(),
          takePending(MAX_TASKS_PER_BATCH), 0, List.of(), false, List.of()));
    }
    out.add(new DashboardProtocol.SchedulerEvents(incarnation, ++seq, now, groups.changed(), groups.removed(),
        takePending(pending.size()), dropped, workersChanged ? workers : List.of(), workersChanged, graphs));
    dropped = 0;
    return out;
  }

  private List<DashboardProtocol.TaskEvent> takePending(int n) {
    if (n == 0) {
      return List.of();
    }
    DashboardProtocol.TaskEvent[] chunk = new DashboardProtocol.TaskEvent[n];
    for (int i = 0; i < n; i++) {
      chunk[i] = pending.pollFirst();
    }
    return List.of(chunk); // the batch's List.copyOf keeps this immutable list as it is
  }

  /** The whole current state, for a dashboard that joins or lost track; later batches apply on top. */
  DashboardProtocol.Snapshot snapshot(TaskTable table) {
    return new DashboardProtocol.Snapshot(incarnation, seq, System.currentTimeMillis(), table.groupProgress(),
        new ArrayList<>(recent), workerSummaries(table), table.graphEvents());
  }

  private List<DashboardProtocol.WorkerSummary> workerSummaries(TaskTable table) {
    List<DashboardProtocol.WorkerSummary> out = new ArrayList<>();
    for (WorkerRecord w : table.workers()) {
      WorkerInfo info = infoOf.apply(w.name);
      out.add(new DashboardProtocol.WorkerSummary(w.name, info == null ? "" : info.host(),
          info == null ? "" : info.address(), w.nthreads, w.processing.size(), w.holds.size(), w.heldBytes,
          Math.round(latencyOf.applyAsDouble(w.name) * 100) / 100.0));
    }
    return out;
  }
}
