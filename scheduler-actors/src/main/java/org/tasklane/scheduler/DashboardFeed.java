package org.tasklane.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.WireBatches;
import org.tasklane.protocol.WorkerInfo;

/**
 * What the scheduler tells dashboards: it collects the record of every task that ran and, on each
 * publish tick (~50 ms, never per report), turns them, the group counts and the graphs that changed
 * into {@link DashboardProtocol.SchedulerEvents} batches. Its work per tick does not depend on how
 * many dashboards or browsers listen.
 *
 * <p>Every task record is published: a tick's tasks go out, oldest first, in as many batches of at
 * most {@link #MAX_TASKS_PER_BATCH} records and about {@link #BATCH_CHARS} characters as they need (so
 * each stays below the scheduler's Artery frames),
 * each with its own {@code seq}. A graph's events are split around its tasks so that a consumer
 * that applies each batch's graphs, then its tasks, then its graphs' ends (the run history does)
 * never sees a task of a graph it has not heard of, nor a task after its graph's end: the first
 * batch of a tick carries the graphs that are running (a new one with every group), the last one
 * the graphs that finished or were cancelled, with the groups, removed groups, dropped count and
 * workers as they are after all of the tick's tasks. A graph accepted and finished within one tick
 * is announced as running in the first batch and ends in the last (one batch: both, in that order).
 *
 * <p>Bounded: at most {@code maxPendingTasks} records wait for the next tick (a tick that comes late
 * because the scheduler is busy); past that the oldest are dropped and counted in
 * {@code droppedTasks}, and dashboards mark the runs of that moment partial. The last
 * {@link #RECENT_TASKS} records are kept for snapshots, without their traces.
 */
final class DashboardFeed implements TaskObserver {
  static final int MAX_TASKS_PER_BATCH = 1_000;
  /**
   * A batch's task records hold at most about this many characters (1,000 records of average size
   * are far below it): even all in three-byte UTF-8, a batch stays below the scheduler's 4 MiB
   * Artery frames (tasklane-scheduler.conf), which a remote dashboard's batches travel in.
   */
  static final long BATCH_CHARS = 1 << 20;
  static final int RECENT_TASKS = 20_000;

  private final String incarnation;
  private final Function<String, WorkerInfo> infoOf;
  private final ToDoubleFunction<String> latencyOf;
  private final int maxPendingTasks;
  private long seq;
  private final ArrayDeque<DashboardProtocol.TaskEvent> pending = new ArrayDeque<>();
  private long dropped;
  private final ArrayDeque<DashboardProtocol.TaskEvent> recent = new ArrayDeque<>();
  /** The table's worker versions when the workers list last went out, and when (System.nanoTime). */
  private long sentFiguresVersion;
  private long sentSetVersion;
  private long workersSentNanos;
  private final long workersIntervalNanos;
  /** Which erred tasks' traces go out with their records. */
  private final TraceSampler traces = new TraceSampler();
  /** Graphs announced as running and not yet ended: a graph's end without its start needs one first. */
  private final java.util.Set<String> announced = new java.util.HashSet<>();

  /**
   * @param infoOf what a registered worker said about itself (its host and address)
   * @param latencyOf the scheduler's round trip to a worker, milliseconds
   * @param maxPendingTasks the most task records held between ticks
   *     ({@code tasklane.scheduler.dashboard-feed.max-pending-tasks})
   */
  DashboardFeed(String incarnation, Function<String, WorkerInfo> infoOf, ToDoubleFunction<String> latencyOf,
      int maxPendingTasks) {
    this(incarnation, infoOf, latencyOf, maxPendingTasks, java.time.Duration.ZERO);
  }

  /**
   * @param workersInterval the workers list goes out at most this often while only the workers'
   *     figures change ({@code tasklane.scheduler.dashboard-feed.workers-interval}); a worker joining,
   *     leaving, retiring, pausing or resuming sends it at the next tick
   */
  DashboardFeed(String incarnation, Function<String, WorkerInfo> infoOf, ToDoubleFunction<String> latencyOf,
      int maxPendingTasks, java.time.Duration workersInterval) {
    this.workersIntervalNanos = workersInterval.toNanos();
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
    boolean ok = r.outcome() == TaskReport.Outcome.OK;
    DashboardProtocol.TaskEvent e = new DashboardProtocol.TaskEvent(
        t.id, t.key, t.group.name, t.graph.id, worker, r.thread(), r.startMicros(), r.stopMicros(),
        ok ? "memory" : "erred", r.nbytes(), r.error(), r.transfers(), depIds(t),
        ok ? null : traces.sample(t.graph.id, r.trace()));
    pending.addLast(e);
    if (pending.size() > maxPendingTasks) {
      pending.removeFirst();
      dropped++;
    }
    // the snapshot's records go without traces: 20,000 of up to 16 KiB would be too much to hold
    recent.addLast(e.withoutTrace());
    if (recent.size() > RECENT_TASKS) {
      recent.removeFirst();
    }
  }

  /** The graph is gone: its traces count from nothing if its id comes again. */
  void forgetGraph(String graphId) {
    traces.forget(graphId);
  }

  /**
   * The most recent run of this task among the last {@link #RECENT_TASKS} records, or null: what
   * the explainer shows of a task that ran. A scan, on request only.
   */
  DashboardProtocol.TaskEvent lastRun(long taskId) {
    java.util.Iterator<DashboardProtocol.TaskEvent> it = recent.descendingIterator();
    while (it.hasNext()) {
      DashboardProtocol.TaskEvent e = it.next();
      if (e.taskId() == taskId) {
        return e;
      }
    }
    return null;
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
    return nextBatches(table, System.nanoTime());
  }

  /**
   * As {@link #nextBatches(TaskTable)}, at {@code nowNanos}. The workers list (one summary per
   * worker) is built only when it goes out: when a worker joined, left, retired, paused or resumed,
   * or when their figures changed and the last list is {@code workersInterval} old; so a tick costs
   * nothing per worker, and 1,000 busy workers cost one list a second, not twenty.
   */
  List<DashboardProtocol.SchedulerEvents> nextBatches(TaskTable table, long nowNanos) {
    GroupBoard.Changes groups = table.groups().drainGroupChanges();
    List<DashboardProtocol.GraphEvent> graphs = table.groups().drainGraphChanges();
    boolean setChanged = table.workerSetVersion() != sentSetVersion;
    boolean figuresChanged = table.workerFiguresVersion() != sentFiguresVersion;
    boolean workersChanged = setChanged || (figuresChanged && nowNanos - workersSentNanos >= workersIntervalNanos);
    if (groups.isEmpty() && graphs.isEmpty() && pending.isEmpty() && dropped == 0 && !workersChanged) {
      return List.of();
    }
    List<DashboardProtocol.WorkerSummary> workers = List.of();
    if (workersChanged) {
      workers = workerSummaries(table);
      sentSetVersion = table.workerSetVersion();
      sentFiguresVersion = table.workerFiguresVersion();
      workersSentNanos = nowNanos;
    }
    long now = System.currentTimeMillis();
    List<DashboardProtocol.GraphEvent> opening = new ArrayList<>();
    List<DashboardProtocol.GraphEvent> closing = new ArrayList<>();
    for (DashboardProtocol.GraphEvent g : graphs) {
      if ("running".equals(g.state())) {
        announced.add(g.graphId());
        opening.add(g);
      } else {
        if (!announced.remove(g.graphId())) { // accepted and ended within this tick: the opening has the edges
          opening.add(new DashboardProtocol.GraphEvent(g.graphId(), g.name(), "running", g.submittedMillis(), 0,
              g.tasks(), g.erred(), g.groups(), g.edges(), g.edgesTruncated()));
          g = g.withoutEdges();
        }
        closing.add(g);
      }
    }
    if (announced.size() > 2 * Math.max(16, table.graphs().size())) {
      // graphs forgotten without an end event (none expected): keep the set to what the table holds
      java.util.Set<String> held = new java.util.HashSet<>();
      table.graphs().forEach(g -> held.add(g.id));
      announced.retainAll(held);
    }
    List<List<DashboardProtocol.TaskEvent>> parts =
        WireBatches.split(new ArrayList<>(pending), DashboardFeed::chars, BATCH_CHARS, MAX_TASKS_PER_BATCH);
    pending.clear();
    List<DashboardProtocol.SchedulerEvents> out = new ArrayList<>(parts.size() + 1);
    for (List<DashboardProtocol.TaskEvent> part : parts.subList(0, Math.max(0, parts.size() - 1))) {
      out.add(new DashboardProtocol.SchedulerEvents(incarnation, ++seq, now, List.of(), List.of(),
          part, 0, List.of(), false, out.isEmpty() ? opening : List.of()));
    }
    List<DashboardProtocol.GraphEvent> last = out.isEmpty() ? concat(opening, closing) : closing;
    out.add(new DashboardProtocol.SchedulerEvents(incarnation, ++seq, now, groups.changed(), groups.removed(),
        parts.isEmpty() ? List.of() : parts.get(parts.size() - 1), dropped, workers, workersChanged, last));
    dropped = 0;
    return out;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() ? b : a;
    }
    List<T> both = new ArrayList<>(a);
    both.addAll(b);
    return both;
  }

  /** A record's size as text, roughly: its strings, and a few bytes per number, input and transfer. */
  private static long chars(DashboardProtocol.TaskEvent e) {
    return 100L + len(e.key()) + len(e.group()) + len(e.graphId()) + len(e.worker()) + len(e.thread()) + len(e.error())
        + len(e.trace()) + 10L * e.deps().size() + 100L * e.transfers().size();
  }

  private static int len(String s) {
    return s == null ? 0 : s.length();
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
