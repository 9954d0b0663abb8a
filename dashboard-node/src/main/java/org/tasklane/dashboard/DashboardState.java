package org.tasklane.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.api.GroupProgress;

/**
 * What the dashboard knows, aggregated from protocol messages only (docs/dashboard.md): the task
 * groups in submission order, the recent tasks, the worker table, the resource history (the
 * cluster plot's last five minutes), the task counters {@code /metrics} shows, and what changed
 * since the dashboard last told the browsers. Pure: no actors, no clock (every method that needs
 * the time takes it), so that tests feed it messages and check the result.
 *
 * <p>Gaps: a batch of the scheduler whose {@code seq} is not the last + 1 of the same incarnation,
 * or a batch of a new incarnation, is applied and answers {@link Outcome#RESYNC_NEEDED}; from then
 * (and from {@link #expectSnapshot()}) until a snapshot is applied, batches are also kept, so that
 * those newer than the snapshot are applied again on top of it. A snapshot replaces the groups and
 * the scheduler's worker list and merges its tasks by id.
 */
public final class DashboardState {

  /** What applying a scheduler message did. */
  public enum Outcome {
    /** Applied in order. */
    APPLIED,
    /** Applied, but something was missed (or the scheduler is a new incarnation): ask for a snapshot. */
    RESYNC_NEEDED,
    /** Older than what is known; nothing changed. */
    IGNORED
  }

  /** The groups that changed since the last {@link #takeProgress()} (absolute) and those that are gone. */
  public record ProgressDelta(List<DashboardView.Group> groups, List<String> removed) {}

  /** Tasks sent to a new browser and in the live stream. */
  public static final int LIVE_TASKS = 1000;
  /** Tasks kept for {@code /tasks}. */
  public static final int RECENT_TASKS = 20000;
  /** A worker whose metrics have not come for this long leaves the table. */
  public static final long WORKER_TIMEOUT_MILLIS = 10_000;
  /** tasksPerSecond counts the tasks that finished over this window. */
  static final long RATE_WINDOW_MILLIS = 5_000;
  /** Batches kept while a snapshot is awaited; past this the oldest go (and the replay sees a gap). */
  static final int MAX_PENDING_BATCHES = 512;

  private final int liveTasks;
  /**
   * The most tasks one {@code tasks} event carries (the newest), so that each browser gets at most
   * ~1,000 task records a second however fast the cluster runs; the snapshot, {@code /tasks} and
   * the JSON API still have the last 1,000 / 20,000.
   */
  public static final int MAX_TASKS_PER_EVENT = 200;
  private String incarnation;
  private long lastSeq;
  private boolean awaitingSnapshot = true;
  private final ArrayDeque<DashboardProtocol.SchedulerEvents> pending = new ArrayDeque<>();

  private final Map<String, DashboardView.Group> groups = new LinkedHashMap<>();
  private final Set<String> changedGroups = new LinkedHashSet<>();
  private final Set<String> removedGroups = new LinkedHashSet<>();

  private final TaskWindow tasks;
  private String tasksIncarnation;
  /** Tasks added since the last {@link #takeNewTasks()}, the newest {@link #MAX_TASKS_PER_EVENT}. */
  private final ArrayDeque<DashboardProtocol.TaskEvent> newTasks = new ArrayDeque<>();
  private boolean tasksReset;

  private final WorkerTable workers;
  /** The erred tasks, grouped (the errors page). */
  private final org.tasklane.dashboard.errors.ErrorLog errors = new org.tasklane.dashboard.errors.ErrorLog();
  /** (time, how many tasks finished) per batch, for tasksPerSecond. */
  private final ArrayDeque<long[]> finished = new ArrayDeque<>();
  private final ResourceHistory history = new ResourceHistory();
  /** Each graph's groups and the edges between them (the graph page). */
  private final GraphTable graphs = new GraphTable();

  // counted from the task events received since start, each task once (for /metrics)
  private long tasksFinished;
  private long tasksErred;
  private long transferBytes;
  // what this dashboard received since start (for /metrics)
  private long batchesReceived;
  private long snapshotsReceived;
  private long workerMetricsReceived;
  private long gapsSeen;
  private LargeClusterSettings largeCluster = LargeClusterSettings.DEFAULT;

  public DashboardState() {
    this(LIVE_TASKS, RECENT_TASKS, WORKER_TIMEOUT_MILLIS);
  }

  /** A live dashboard's state, with its large-cluster thresholds. */
  public DashboardState(LargeClusterSettings largeCluster) {
    this(LIVE_TASKS, RECENT_TASKS, WORKER_TIMEOUT_MILLIS);
    this.largeCluster = largeCluster;
  }

  /** When the pages draw their large-cluster modes. */
  public LargeClusterSettings largeCluster() {
    return largeCluster;
  }

  /**
   * A state that keeps only the tasks a snapshot shows (the last {@link #LIVE_TASKS}), not the
   * {@link #RECENT_TASKS} of {@code /tasks}: what a replay of a recorded run needs, per browser.
   */
  public static DashboardState forReplay() {
    return new DashboardState(LIVE_TASKS, LIVE_TASKS, WORKER_TIMEOUT_MILLIS);
  }

  DashboardState(int liveTasks, int recentTasks, long workerTimeoutMillis) {
    if (liveTasks > recentTasks) {
      throw new IllegalArgumentException("liveTasks must not exceed recentTasks");
    }
    this.liveTasks = liveTasks;
    this.tasks = new TaskWindow(recentTasks);
    this.workers = new WorkerTable(workerTimeoutMillis);
  }

  // ------------------------------------------------------------------ scheduler

  /** Applies one batch of the scheduler. */
  public Outcome apply(DashboardProtocol.SchedulerEvents b, long nowMillis) {
    batchesReceived++;
    boolean sameIncarnation = b.incarnation().equals(incarnation);
    if (sameIncarnation && b.seq() <= lastSeq) {
      return Outcome.IGNORED;
    }
    boolean gap = !sameIncarnation || b.seq() != lastSeq + 1;
    if (gap) {
      gapsSeen++;
    }
    applyContent(b, nowMillis);
    countFinished(b, nowMillis);
    incarnation = b.incarnation();
    lastSeq = b.seq();
    if (gap) {
      awaitingSnapshot = true;
    }
    if (awaitingSnapshot) {
      keepPending(b);
    }
    return gap ? Outcome.RESYNC_NEEDED : Outcome.APPLIED;
  }

  /** A snapshot has been asked for: keep the batches that come meanwhile, to apply them on top. */
  public void expectSnapshot() {
    awaitingSnapshot = true;
  }

  /**
   * Applies the scheduler's snapshot, then the batches kept meanwhile that are newer than it.
   * {@link Outcome#RESYNC_NEEDED} if those show a gap, or come from another incarnation.
   */
  public Outcome apply(DashboardProtocol.Snapshot s, long nowMillis) {
    snapshotsReceived++;
    replaceGroups(s.groups());
    graphs.replace(s.graphs());
    workers.onSchedulerList(s.workers(), nowMillis);
    mergeTasks(s.incarnation(), s.recentTasks());
    incarnation = s.incarnation();
    lastSeq = s.seq();
    awaitingSnapshot = false;

    List<DashboardProtocol.SchedulerEvents> kept = new ArrayList<>(pending);
    pending.clear();
    // the newest batch comes from another scheduler: this snapshot is already out of date
    boolean gap = !kept.isEmpty() && !kept.get(kept.size() - 1).incarnation().equals(s.incarnation());
    for (DashboardProtocol.SchedulerEvents b : kept) {
      if (!b.incarnation().equals(s.incarnation()) || b.seq() <= lastSeq) {
        continue;
      }
      if (b.seq() != lastSeq + 1) {
        gap = true;
      }
      applyContent(b, nowMillis);
      lastSeq = b.seq();
    }
    if (!gap) {
      return Outcome.APPLIED;
    }
    awaitingSnapshot = true;
    for (DashboardProtocol.SchedulerEvents b : kept) {
      if (!b.incarnation().equals(s.incarnation()) || b.seq() > s.seq()) {
        keepPending(b);
      }
    }
    return Outcome.RESYNC_NEEDED;
  }

  private void keepPending(DashboardProtocol.SchedulerEvents b) {
    pending.addLast(b);
    if (pending.size() > MAX_PENDING_BATCHES) {
      pending.removeFirst();
    }
  }

  private void applyContent(DashboardProtocol.SchedulerEvents b, long nowMillis) {
    for (GroupProgress g : b.groups()) {
      putGroup(DashboardView.Group.of(g));
    }
    for (String name : b.removedGroups()) {
      removeGroup(name);
    }
    mergeTasks(b.incarnation(), b.tasks());
    b.graphs().forEach(graphs::apply);
    if (b.workersChanged()) {
      workers.onSchedulerList(b.workers(), nowMillis);
    }
  }

  private void putGroup(DashboardView.Group g) {
    DashboardView.Group old = groups.put(g.name(), g);
    if (!g.equals(old)) {
      changedGroups.add(g.name());
      removedGroups.remove(g.name());
    }
  }

  private void removeGroup(String name) {
    if (groups.remove(name) != null) {
      changedGroups.remove(name);
      removedGroups.add(name);
    }
  }

  private void replaceGroups(List<GroupProgress> fresh) {
    Set<String> names = new LinkedHashSet<>();
    fresh.forEach(g -> names.add(g.name()));
    for (String old : new ArrayList<>(groups.keySet())) {
      if (!names.contains(old)) {
        removeGroup(old);
      }
    }
    // the snapshot's order is the submission order
    Map<String, DashboardView.Group> before = new LinkedHashMap<>(groups);
    groups.clear();
    for (GroupProgress g : fresh) {
      DashboardView.Group v = DashboardView.Group.of(g);
      groups.put(v.name(), v);
      if (!v.equals(before.get(v.name()))) {
        changedGroups.add(v.name());
        removedGroups.remove(v.name());
      }
    }
  }

  /** Task ids start again with a new incarnation: its tasks replace the old ones. */
  private void mergeTasks(String fromIncarnation, List<DashboardProtocol.TaskEvent> events) {
    if (tasksIncarnation != null && !tasksIncarnation.equals(fromIncarnation)) {
      tasks.clear();
      newTasks.clear();
      tasksReset = true;
    }
    tasksIncarnation = fromIncarnation;
    // every task record of the cluster comes through here: keep the work per record small
    for (DashboardProtocol.TaskEvent e : events) {
      // the window keeps no traces (20,000 of up to 16 KiB): the error log keeps those it shows
      if (!tasks.add(e.withoutTrace())) {
        continue;
      }
      count(e);
      newTasks.addLast(e);
      if (newTasks.size() > MAX_TASKS_PER_EVENT) {
        newTasks.removeFirst(); // a browser draws the newest: at high rates its live stream is a sample
      }
    }
  }

  private void count(DashboardProtocol.TaskEvent e) {
    tasksFinished++;
    if ("erred".equals(e.status())) {
      tasksErred++;
      errors.add(e);
    }
    for (int i = 0; i < e.transfers().size(); i++) { // by index: no iterator per task
      transferBytes += Math.max(0, e.transfers().get(i).bytes());
    }
  }

  private void countFinished(DashboardProtocol.SchedulerEvents b, long nowMillis) {
    long n = b.tasks().size() + Math.max(0, b.droppedTasks());
    if (n > 0) {
      finished.addLast(new long[] {nowMillis, n});
    }
  }

  // ------------------------------------------------------------------ workers

  public void apply(DashboardProtocol.WorkerMetrics m, long nowMillis) {
    workerMetricsReceived++;
    workers.onMetrics(m, nowMillis);
  }

  /** Forgets what has aged out: stale worker metrics, old task counts. */
  public void prune(long nowMillis) {
    workers.prune(nowMillis);
    while (!finished.isEmpty() && nowMillis - finished.peekFirst()[0] > RATE_WINDOW_MILLIS) {
      finished.removeFirst();
    }
  }

  // ------------------------------------------------------------------ views

  public String incarnation() {
    return incarnation;
  }

  public long lastSeq() {
    return lastSeq;
  }

  public boolean awaitingSnapshot() {
    return awaitingSnapshot;
  }

  /** Every group, in submission order. */
  public List<DashboardView.Group> groups() {
    return List.copyOf(groups.values());
  }

  /** The last {@code n} tasks (at most {@link #RECENT_TASKS}), oldest first. */
  /** The erred tasks seen, grouped by kind, the most recent first. */
  public org.tasklane.dashboard.errors.ErrorView.Errors errors() {
    return errors.view();
  }

  /** The error of one task of a graph, with its group; null if the dashboard has no record of it. */
  public org.tasklane.dashboard.errors.ErrorView.TaskError taskError(String graph, String key) {
    return errors.find(graph, key, tasks.newestFirst());
  }

  public List<DashboardView.Task> recentTasks(int n) {
    return tasks.last(n);
  }

  /** The last 1000 tasks, oldest first: what a new browser gets. */
  public List<DashboardView.Task> liveTasks() {
    return tasks.last(liveTasks);
  }

  public List<DashboardView.Worker> workers(long nowMillis) {
    return workers.rows(nowMillis);
  }

  public DashboardView.Resources resources(long nowMillis) {
    return resources(workers(nowMillis), nowMillis);
  }

  DashboardView.Resources resources(List<DashboardView.Worker> rows, long nowMillis) {
    int threads = 0;
    int executing = 0;
    int queued = 0;
    long held = 0;
    int paused = 0;
    for (DashboardView.Worker w : rows) {
      paused += w.figures().memory().paused() ? 1 : 0;
      threads += w.nthreads();
      executing += w.figures().tasks().executing();
      queued += w.figures().tasks().queued();
      held += w.figures().tasks().heldBytes();
    }
    long n = 0;
    for (long[] f : finished) {
      if (nowMillis - f[0] <= RATE_WINDOW_MILLIS) {
        n += f[1];
      }
    }
    double perSecond = Math.round(n * 10_000.0 / RATE_WINDOW_MILLIS) / 10.0;
    DashboardView.ResourcePoint totals = ResourceHistory.pointOf(rows, nowMillis);
    return new DashboardView.Resources(nowMillis, rows.size(), threads, executing, queued, held, perSecond,
        totals.cpu(), totals.memory(), totals.memoryLimit(), totals.managed(), totals.unmanaged(), totals.spilled(),
        paused);
  }

  /** Adds the cluster's point of this second to the resource plot (the actor calls it once a second). */
  public DashboardView.ResourcePoint recordResources(List<DashboardView.Worker> rows, long nowMillis) {
    return history.record(ResourceHistory.pointOf(rows, nowMillis));
  }

  /** The resource plot's points, oldest first (at most five minutes, one a second). */
  public List<DashboardView.ResourcePoint> resourceHistory() {
    return history.points();
  }

  /** Everything, as the {@code snapshot} event and {@code api/v1/status.json} show it. */
  public DashboardView.Snapshot snapshot(long seq, long nowMillis, boolean connected) {
    List<DashboardView.Worker> rows = workers(nowMillis);
    return new DashboardView.Snapshot(seq, nowMillis, connected, groups(), liveTasks(), rows, resources(rows, nowMillis),
        resourceHistory(), largeCluster.isLarge(rows));
  }

  /** What {@code /metrics} shows, at this instant. */
  public ClusterFigures figures(long nowMillis) {
    return new ClusterFigures(groups(), workers(nowMillis), tasksFinished, tasksErred, transferBytes,
        new ClusterFigures.Received(batchesReceived, snapshotsReceived, workerMetricsReceived, gapsSeen));
  }

  // ------------------------------------------------------------------ what changed since the last emit

  /** The groups changed and removed since the last call; null if none. */
  public ProgressDelta takeProgress() {
    if (changedGroups.isEmpty() && removedGroups.isEmpty()) {
      return null;
    }
    List<DashboardView.Group> changed = new ArrayList<>(changedGroups.size());
    for (DashboardView.Group g : groups.values()) {
      if (changedGroups.contains(g.name())) {
        changed.add(g);
      }
    }
    ProgressDelta d = new ProgressDelta(changed, List.copyOf(removedGroups));
    changedGroups.clear();
    removedGroups.clear();
    return d;
  }

  /** The graphs held, with their groups and edges (the graph page). */
  public GraphTable graphs() {
    return graphs;
  }

  /** The tasks added since the last call (at most the last 1000), oldest first. */
  public List<DashboardView.Task> takeNewTasks() {
    List<DashboardView.Task> out = new ArrayList<>(newTasks.size());
    for (DashboardProtocol.TaskEvent e : newTasks) {
      out.add(DashboardView.Task.of(e));
    }
    newTasks.clear();
    return List.copyOf(out);
  }

  /**
   * True once after the tasks were replaced (a new scheduler incarnation): browsers must drop
   * theirs, which only a fresh snapshot tells them.
   */
  public boolean takeTasksReset() {
    boolean r = tasksReset;
    tasksReset = false;
    return r;
  }
}
