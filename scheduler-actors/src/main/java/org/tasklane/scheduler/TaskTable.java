package org.tasklane.scheduler;

import static org.tasklane.protocol.TaskState.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.TaskState;
import org.tasklane.protocol.Transfer;

/**
 * The scheduler's decisions, with no actors in sight (Dask's worker-state pattern): each method
 * takes one event (a graph submitted, a worker joined or left, a task reported) and returns the
 * instructions for the actor to carry out. Every change of a task's state goes through
 * {@link #transition}, which checks it against {@link TaskTransitions}.
 *
 * <p>Policies:
 *
 * <ul>
 *   <li>Every task of a graph runs; a result is released from worker memory as soon as no pending
 *       dependent needs it and the client does not want it.
 *   <li>A ready task goes to the worker with free slots that holds most of its input bytes, else
 *       to the least loaded worker with free slots; with none free it waits in the scheduler's
 *       queue (so a worker that joins later gets work). Tasks freed by a completion go to the front
 *       of the queue (depth first, which frees memory early); new roots to the back.
 *   <li>A worker takes its threads' worth of tasks plus enough to cover about {@code queueTargetMicros}
 *       of work at its measured task duration, at least one and at most {@code maxQueuedPerThread}
 *       per thread beyond its threads.
 *   <li>A worker that retires gracefully ({@link #retireWorker}) gets no new tasks; each result
 *       that only it holds and that is still needed is copied to another worker before it leaves
 *       (see {@link Retirement}), so nothing it made is computed again.
 *   <li>A task whose function throws (or times out) with retries left goes back to waiting and is
 *       assigned again, to any worker; each failed attempt is told to the {@link Observer}.
 *   <li>A task assigned to workers that died (left without retiring) {@code allowedFailures} times
 *       errs instead of killing the next one (a poison task); before that it is assigned again.
 * </ul>
 *
 * <p>Nothing here recurses over the graph: long chains are walked with work lists.
 */
public final class TaskTable {

  /**
   * Tunables of the assignment policy.
   *
   * @param allowedFailures how many workers may die while a task is assigned to them before the task
   *     errs instead of being given to another ({@code tasklane.scheduler.allowed-failures}, as Dask's)
   */
  public record Policy(long queueTargetMicros, int maxQueuedPerThread, int allowedFailures) {
    public static final int DEFAULT_ALLOWED_FAILURES = 3;
    public static final Policy DEFAULT = new Policy(20_000, 256, DEFAULT_ALLOWED_FAILURES);

    public Policy {
      if (allowedFailures < 1) {
        throw new IllegalArgumentException(
            "tasklane.scheduler.allowed-failures must be at least 1, got " + allowedFailures);
      }
    }

    /** With the default {@link #allowedFailures}. */
    public Policy(long queueTargetMicros, int maxQueuedPerThread) {
      this(queueTargetMicros, maxQueuedPerThread, DEFAULT_ALLOWED_FAILURES);
    }
  }

  private final Policy policy;
  private final Map<String, GraphRecord> graphs = new LinkedHashMap<>();
  private final Map<Long, TaskRecord> tasks = new HashMap<>();
  private final Map<String, WorkerRecord> workers = new LinkedHashMap<>();
  /** Ready tasks waiting for a worker slot; entries whose task is no longer QUEUED are skipped. */
  private final ArrayDeque<TaskRecord> ready = new ArrayDeque<>();
  /** Tasks whose need for computation or memory must be looked at again (see {@link #settle}). */
  private final ArrayDeque<TaskRecord> recheck = new ArrayDeque<>();
  /** Dependents to err because a dependency failed. */
  private final ArrayDeque<TaskRecord> toErr = new ArrayDeque<>();
  /** Counts per group name over every live graph, in the order the groups first appeared. */
  private final Map<String, GroupStats> clusterGroups = new LinkedHashMap<>();
  /** Groups no live graph has any more, since {@link #drainGroupChanges} was last called. */
  private final List<String> removedGroups = new ArrayList<>();
  /**
   * Graphs that changed since {@link #drainGraphChanges} was last called, each once (its
   * {@code dirty} flag), in the order they first changed: the live ones and those forgotten since.
   */
  private final List<GraphRecord> dirtyGraphs = new ArrayList<>();
  private Observer observer = Observer.NONE;
  private long nextTaskId = 1;
  private List<Instruction> out = new ArrayList<>();

  public TaskTable() {
    this(Policy.DEFAULT);
  }

  public TaskTable(Policy policy) {
    this.policy = policy;
  }

  /** Told of every task that ran on a worker (for the dashboard's task stream). */
  public interface Observer {
    Observer NONE = (task, worker, report) -> { };

    void taskRan(TaskRecord task, String worker, TaskReport report);
  }

  public void observe(Observer observer) {
    this.observer = observer;
  }

  private GroupStats newGraphGroup(String name) {
    return new GroupStats(name, clusterGroups.computeIfAbsent(name, GroupStats::new));
  }

  /** The cluster-wide counts of every group of the live graphs, in the order they first appeared. */
  public List<org.tasklane.protocol.api.GroupProgress> groupProgress() {
    List<org.tasklane.protocol.api.GroupProgress> out = new ArrayList<>(clusterGroups.size());
    for (GroupStats g : clusterGroups.values()) {
      out.add(g.toProgress());
    }
    return out;
  }

  /** The groups whose counts changed and the groups removed since the last call. */
  public GroupChanges drainGroupChanges() {
    List<org.tasklane.protocol.api.GroupProgress> changed = new ArrayList<>();
    for (GroupStats g : clusterGroups.values()) {
      if (g.dirty) {
        g.dirty = false;
        changed.add(g.toProgress());
      }
    }
    List<String> removed = new ArrayList<>();
    for (String name : new LinkedHashSet<>(removedGroups)) {
      if (!clusterGroups.containsKey(name)) { // a group can go and come back within one batch
        removed.add(name);
      }
    }
    removedGroups.clear();
    return new GroupChanges(changed, removed);
  }

  /**
   * One event per graph that changed since the last call (see {@link GraphRecord#drainEvent}):
   * accepted (with every group), its groups' counts changed (with those), finished, or forgotten
   * with changes unpublished or while still running ({@code cancelled}). A graph accepted and
   * finished since the last call is one event with every group and state {@code done}. A finished
   * graph forgotten with nothing unpublished gets none.
   */
  public List<DashboardProtocol.GraphEvent> drainGraphChanges() {
    List<DashboardProtocol.GraphEvent> out = new ArrayList<>(dirtyGraphs.size());
    for (GraphRecord g : dirtyGraphs) {
      g.dirty = false;
      if (!g.forgetting) {
        out.add(g.drainEvent(g.stateName(), g.finishedMillis));
      } else if (g.lastEvent != null) {
        out.add(g.lastEvent);
        g.lastEvent = null;
      }
    }
    dirtyGraphs.clear();
    return out;
  }

  /** Every graph held, each with every group (for a dashboard's snapshot). */
  public List<DashboardProtocol.GraphEvent> graphEvents() {
    List<DashboardProtocol.GraphEvent> out = new ArrayList<>(graphs.size());
    for (GraphRecord g : graphs.values()) {
      out.add(g.toEvent());
    }
    return out;
  }

  private void markDirty(GraphRecord g) {
    if (!g.dirty && !g.forgetting) {
      g.dirty = true;
      dirtyGraphs.add(g);
    }
  }

  /** What {@link #drainGroupChanges} returns. */
  public record GroupChanges(List<org.tasklane.protocol.api.GroupProgress> changed, List<String> removed) {
    public boolean isEmpty() {
      return changed.isEmpty() && removed.isEmpty();
    }
  }

  // ------------------------------------------------------------------ events

  /**
   * Adds a graph that {@code GraphValidator} accepted (unique keys, references that exist, no
   * cycle, {@code want} filled in). Returns an error message instead, and changes nothing, if a
   * function is unknown to every registered worker.
   */
  public String checkFunctions(GraphSpec spec) {
    if (workers.isEmpty()) {
      return null;
    }
    Set<String> known = new TreeSet<>();
    for (WorkerRecord w : workers.values()) {
      known.addAll(w.functions);
    }
    for (TaskSpec t : spec.tasks()) {
      if (!known.contains(t.fn()) && !t.fn().startsWith("java:")) { // java: calls are every worker's
        return "unknown function '" + t.fn() + "' in task '" + t.key() + "'; the workers know: "
            + String.join(", ", known);
      }
    }
    return null;
  }

  /** Adds a validated graph and starts it. */
  public List<Instruction> submit(String graphId, GraphSpec spec, long nowMillis) {
    if (graphs.containsKey(graphId)) {
      throw new IllegalArgumentException("graph " + graphId + " exists already");
    }
    List<TaskSpec> specs = spec.tasks();
    GraphRecord g = new GraphRecord(graphId, spec.name() == null ? "" : spec.name(), nowMillis, specs.size());
    TaskRecord[] records = new TaskRecord[specs.size()];
    for (int i = 0; i < records.length; i++) {
      TaskSpec s = specs.get(i);
      GroupStats gs = g.groups.computeIfAbsent(s.groupName(), this::newGraphGroup);
      gs.addNew();
      TaskRecord t = new TaskRecord(nextTaskId++, g, s.key(), s.fn(), s.argsOrEmpty(), gs, s.retriesOrZero(),
          s.timeoutMillis());
      records[i] = t;
      g.byKey.put(t.key, t);
    }
    for (int i = 0; i < records.length; i++) {
      List<String> refs = specs.get(i).refs();
      if (refs.isEmpty()) {
        continue;
      }
      Set<TaskRecord> deps = new LinkedHashSet<>();
      for (String r : refs) {
        deps.add(g.byKey.get(r));
      }
      records[i].deps = deps.toArray(new TaskRecord[0]);
      for (TaskRecord d : records[i].deps) {
        d.dependents.add(records[i]);
      }
    }
    g.tasks = records;
    g.groupEdges = GroupEdges.of(records, DashboardProtocol.GraphEvent.MAX_EDGES);
    g.remaining = records.length;
    g.stateCounts[RELEASED.ordinal()] = records.length;
    if (spec.want() != null && !spec.want().isEmpty()) {
      for (String w : spec.want()) {
        g.byKey.get(w).wanted = true;
      }
    } else {
      for (TaskRecord t : records) {
        t.wanted = t.dependents.isEmpty();
      }
    }
    for (TaskRecord t : records) {
      g.wantedCount += t.wanted ? 1 : 0;
    }
    graphs.put(graphId, g);
    for (TaskRecord t : records) {
      tasks.put(t.id, t);
    }
    for (TaskRecord t : records) {
      toWaiting(t);
    }
    settle();
    fillSlots();
    return drain();
  }

  /** A worker registered. */
  public List<Instruction> addWorker(String name, int nthreads, Collection<String> functions) {
    if (workers.containsKey(name)) {
      throw new IllegalArgumentException("worker " + name + " is registered already");
    }
    workers.put(name, new WorkerRecord(name, nthreads, Set.copyOf(functions)));
    fillSlots();
    advanceRetirements();
    return drain();
  }

  /**
   * A worker left or died: what it was running goes back to waiting, and the results only it
   * held are computed again if anything still needs them. Unless the worker was retiring (a
   * graceful stop), each of the tasks it may have been running (its oldest {@code nthreads}) counts
   * a death; a task at {@link Policy#allowedFailures} deaths errs, and its dependents with it.
   */
  public List<Instruction> removeWorker(String name) {
    WorkerRecord w = workers.remove(name);
    if (w == null) {
      return List.of();
    }
    for (TaskRecord t : new ArrayList<>(w.holds)) {
      t.holders.remove(w);
      if (t.holders.isEmpty() && t.state == MEMORY) {
        loseResult(t);
      }
    }
    w.holds.clear();
    boolean died = w.retirement == null;
    // A worker runs its tasks in the order they were assigned, nthreads at a time: only the oldest
    // nthreads it still had can have been running when it died. Those queued behind them are not
    // suspects, so a task that kills its worker does not take the tasks queued after it down too.
    int suspects = died ? w.nthreads : 0;
    for (TaskRecord t : new ArrayList<>(w.processing)) {
      t.processingOn = null;
      if (suspects-- > 0 && ++t.deaths >= policy.allowedFailures()) {
        t.error = Attempts.poisoned(t.key, t.deaths, name);
        t.rootFailure = true;
        transition(t, ERRED);
        errDependents(t);
      } else {
        transition(t, WAITING);
        enterWaiting(t);
      }
    }
    w.processing.clear();
    settle();
    fillSlots();
    advanceRetirements();
    return drain();
  }

  /** A batch of reports from one worker. */
  public List<Instruction> report(String workerName, List<TaskReport> reports) {
    WorkerRecord w = workers.get(workerName);
    for (TaskReport r : reports) {
      if (w == null) {
        // a worker we no longer count on: everything it made is recomputed elsewhere
        out.add(new Instruction.Release(workerName, r.taskId()));
        continue;
      }
      onReport(w, r);
    }
    settle();
    fillSlots();
    advanceRetirements();
    return drain();
  }

  /** Stops computing a graph and drops everything it holds; its tasks are forgotten. */
  public List<Instruction> forget(String graphId) {
    GraphRecord g = graphs.remove(graphId);
    if (g == null) {
      return List.of();
    }
    if (!g.published || g.dirty || !g.isFinished()) {
      // its last event, before the forgetting below empties its counts
      boolean done = g.isFinished();
      g.lastEvent = g.drainEvent(done ? "done" : "cancelled", done ? g.finishedMillis : System.currentTimeMillis());
      markDirty(g);
    }
    g.forgetting = true;
    for (TaskRecord t : g.tasks) {
      switch (t.state) {
        case MEMORY -> {
          for (WorkerRecord h : t.holders) {
            h.holds.remove(t);
            h.heldBytes -= t.nbytes;
            out.add(new Instruction.Release(h.name, t.id));
          }
          t.holders.clear();
          transition(t, RELEASED);
        }
        case PROCESSING -> {
          t.processingOn.processing.remove(t);
          t.processingOn = null;
          transition(t, RELEASED);
        }
        case WAITING, QUEUED -> transition(t, RELEASED);
        default -> { }
      }
    }
    for (TaskRecord t : g.tasks) {
      transition(t, FORGOTTEN);
      tasks.remove(t.id);
    }
    // fillSlots skips forgotten tasks when it meets them, but with no worker (or none free) it never
    // does, and they would hold the whole graph
    ready.removeIf(t -> t.state == FORGOTTEN);
    for (GroupStats gs : g.groups.values()) {
      gs.forget();
      if (gs.parent.total == 0) {
        clusterGroups.remove(gs.name);
        removedGroups.add(gs.name);
      }
    }
    recheck.clear();
    fillSlots();
    advanceRetirements();
    return drain();
  }

  /**
   * A worker is stopping gracefully: it gets no new tasks, finishes those it has, and every result
   * that only it holds and that is still needed is copied to another worker
   * ({@link Instruction.Replicate}). {@link Instruction.Retired} says when it may leave. Asked again
   * after that, it answers again.
   */
  public List<Instruction> retireWorker(String name) {
    WorkerRecord w = workers.get(name);
    if (w == null) {
      return List.of();
    }
    if (w.retirement == null) {
      w.retirement = new Retirement(w);
    } else if (w.retirement.finished) {
      out.add(retired(w.retirement, activeWorkers().isEmpty()));
    }
    advanceRetirements();
    return drain();
  }

  /**
   * A worker fetched copies of these results ({@link Instruction.Replicate}), and could not fetch
   * those: it now holds the copies, and the retiring workers they came from no longer count as
   * their holders. A copy that failed is asked of another worker (at most
   * {@link Retirement#MAX_ATTEMPTS} times in all).
   */
  public List<Instruction> replicasFetched(String workerName, List<Long> stored, List<Long> failed) {
    WorkerRecord to = workers.get(workerName);
    if (to == null) {
      return List.of();
    }
    for (long id : stored) {
      TaskRecord t = tasks.get(id);
      if (t == null || t.state != MEMORY || to.retirement != null) {
        if (t == null || !t.holders.contains(to)) {
          out.add(new Instruction.Release(workerName, id));
        }
        if (t != null) {
          dropCopy(t, to);
        }
        continue;
      }
      addHolder(t, to);
      boolean asked = false;
      for (WorkerRecord h : new ArrayList<>(t.holders)) {
        Retirement r = h.retirement;
        if (r == null) {
          continue;
        }
        if (r.pending.remove(t) != null) {
          asked = true;
          if (!r.finished) {
            r.handed++;
            r.handedBytes += t.nbytes;
          }
        }
        detach(t, h);
      }
      if (asked) {
        t.graph.handedOff++;
      }
      recheck.add(t);
    }
    for (long id : failed) {
      TaskRecord t = tasks.get(id);
      if (t != null) {
        dropCopy(t, to);
      }
    }
    settle();
    fillSlots();
    advanceRetirements();
    return drain();
  }

  /** The retiring worker's time is up: it may leave now; what only it holds is computed again after. */
  public List<Instruction> retireTimedOut(String name) {
    WorkerRecord w = workers.get(name);
    if (w == null || w.retirement == null || w.retirement.finished) {
      return List.of();
    }
    finishRetirement(w.retirement, activeWorkers().isEmpty());
    return drain();
  }

  // ------------------------------------------------------------------ queries

  public Policy policy() {
    return policy;
  }

  public GraphRecord graph(String graphId) {
    return graphs.get(graphId);
  }

  public Collection<GraphRecord> graphs() {
    return graphs.values();
  }

  public TaskRecord task(long id) {
    return tasks.get(id);
  }

  public TaskRecord task(String graphId, String key) {
    GraphRecord g = graphs.get(graphId);
    return g == null ? null : g.byKey.get(key);
  }

  public WorkerRecord worker(String name) {
    return workers.get(name);
  }

  public Collection<WorkerRecord> workers() {
    return workers.values();
  }

  /**
   * Tasks ready and waiting on the scheduler for a worker slot. Counted from the graphs, not from
   * {@link #ready}: a task that went back to waiting and was queued again is in it twice.
   */
  public int queuedCount() {
    int n = 0;
    for (GraphRecord g : graphs.values()) {
      n += g.stateCounts[QUEUED.ordinal()];
    }
    return n;
  }

  /** The length of the ready queue, forgotten tasks included (for tests). */
  int readyQueueLength() {
    return ready.size();
  }

  /** How many tasks this worker may have assigned at once. */
  public int capacity(WorkerRecord w) {
    long extra;
    if (w.avgTaskMicros <= 0) {
      extra = w.nthreads;
    } else {
      extra = (long) Math.ceil(w.nthreads * policy.queueTargetMicros() / w.avgTaskMicros);
    }
    extra = Math.max(1, Math.min(extra, (long) policy.maxQueuedPerThread() * w.nthreads));
    return (int) (w.nthreads + extra);
  }

  // ------------------------------------------------------------------ reports

  private void onReport(WorkerRecord w, TaskReport r) {
    TaskRecord t = tasks.get(r.taskId());
    if (t == null || t.state != PROCESSING || t.processingOn != w) {
      onStaleReport(w, r, t);
      return;
    }
    w.processing.remove(t);
    t.processingOn = null;
    noteTransfers(w, t, r);
    if (r.outcome() != TaskReport.Outcome.MISSING_DATA) {
      // computed again after a success (its result was lost); a retry after a failure is not that
      if (t.runs++ > t.failedAttempts) {
        t.graph.recomputed++;
      }
    }
    switch (r.outcome()) {
      case OK -> {
        observer.taskRan(t, w.name, r);
        long micros = Math.max(0, r.stopMicros() - r.startMicros());
        w.avgTaskMicros = w.avgTaskMicros <= 0 ? Math.max(1, micros) : 0.9 * w.avgTaskMicros + 0.1 * micros;
        t.nbytes = r.nbytes();
        addHolder(t, w);
        transition(t, MEMORY);
        for (TaskRecord d : t.dependents) {
          if (d.state == WAITING && --d.waitingOn == 0) {
            toQueued(d, true);
          }
        }
        recheck.add(t);
      }
      case ERRED -> onFailedAttempt(w, t, r);
      case MISSING_DATA -> {
        for (long id : r.missing()) {
          TaskRecord dep = tasks.get(id);
          if (dep != null && dep.state == MEMORY) {
            for (WorkerRecord h : dep.holders) {
              h.holds.remove(dep);
              h.heldBytes -= dep.nbytes;
            }
            dep.holders.clear();
            loseResult(dep);
          }
        }
        transition(t, WAITING);
        enterWaiting(t);
      }
    }
  }

  /**
   * The task's function threw or timed out: with attempts left it goes back to waiting (then to
   * any worker), else it errs and its dependents with it. The task stream sees every attempt.
   */
  private void onFailedAttempt(WorkerRecord w, TaskRecord t, TaskReport r) {
    String error = r.error() == null ? "failed" : r.error();
    int attempt = ++t.failedAttempts;
    if (attempt <= t.retries) {
      observer.taskRan(t, w.name, Attempts.withError(r, Attempts.retrying(attempt, t.retries, error)));
      transition(t, WAITING);
      enterWaiting(t);
      return;
    }
    t.error = Attempts.lastAttempt(attempt, t.retries, error);
    observer.taskRan(t, w.name, t.error.equals(r.error()) ? r : Attempts.withError(r, t.error));
    t.rootFailure = true;
    transition(t, ERRED);
    errDependents(t);
  }

  /** A report for a task that is no longer processing on that worker (cancelled, reassigned, lost). */
  private void onStaleReport(WorkerRecord w, TaskReport r, TaskRecord t) {
    if (r.outcome() == TaskReport.Outcome.OK) {
      if (t != null && t.state == MEMORY && !t.holders.contains(w) && w.retirement == null) {
        addHolder(t, w); // a second good copy
      } else if (t == null || t.state != MEMORY || w.retirement != null) {
        if (t == null || !t.holders.contains(w)) {
          out.add(new Instruction.Release(w.name, r.taskId()));
        }
      }
    }
    noteInputCopies(w, r);
  }

  /** Inputs fetched for a task are now also held by the worker that ran it. */
  private void noteTransfers(WorkerRecord w, TaskRecord t, TaskReport r) {
    for (Transfer tr : r.transfers()) {
      t.graph.transfers++;
      t.graph.transferBytes += tr.bytes();
    }
    noteInputCopies(w, r);
  }

  /**
   * The inputs a worker fetched count as held there too; a retiring worker's copies do not (it
   * leaves soon), nor do copies of results no longer in memory: it drops those.
   */
  private void noteInputCopies(WorkerRecord w, TaskReport r) {
    for (Transfer tr : r.transfers()) {
      TaskRecord input = tasks.get(tr.taskId());
      if (input != null && input.state == MEMORY && w.retirement == null) {
        addHolder(input, w);
      } else if (input == null || !input.holders.contains(w)) {
        out.add(new Instruction.Release(w.name, tr.taskId()));
      }
    }
  }

  /** The worker no longer counts as a holder of the result (it keeps its copy until it leaves). */
  private void detach(TaskRecord t, WorkerRecord w) {
    if (t.holders.remove(w)) {
      w.holds.remove(t);
      w.heldBytes -= t.nbytes;
    }
  }

  private void addHolder(TaskRecord t, WorkerRecord w) {
    if (!t.holders.contains(w)) {
      t.holders.add(w);
      w.holds.add(t);
      w.heldBytes += t.nbytes;
    }
  }

  // ------------------------------------------------------------------ transitions

  /** The one place a task's state changes. Keeps every counter in step. */
  private void transition(TaskRecord t, TaskState to) {
    TaskState from = t.state;
    TaskTransitions.check(t.key, from, to);
    boolean wasCompleted = t.completed;
    if (to == MEMORY) {
      t.completed = true;
    } else if (to == WAITING) {
      t.completed = false; // lost or released, and needed again: computed anew
    }
    GraphRecord g = t.graph;
    markDirty(g);
    g.stateCounts[from.ordinal()]--;
    g.stateCounts[to.ordinal()]++;
    t.group.move(from, wasCompleted, to, t.completed);
    t.state = to;

    // remaining: tasks neither completed nor erred
    boolean wasDone = wasCompleted || from == ERRED;
    boolean isDone = t.completed || to == ERRED;
    if (to != FORGOTTEN && wasDone != isDone) {
      if (isDone && t.wanted && !t.listedFinished) {
        t.listedFinished = true;
        g.finishedWanted.add(t);
      }
      g.remaining += isDone ? -1 : 1;
      if (isDone && g.remaining == 0) {
        g.finishedMillis = System.currentTimeMillis();
        out.add(new Instruction.GraphFinished(g.id));
      } else if (!isDone) {
        g.finishedMillis = 0;
      }
    }
    if (to == ERRED) {
      g.erredCount++;
      g.noteError(t);
    }
    // pending tasks hold their inputs in memory
    if (from.isPending() != to.isPending()) {
      int delta = to.isPending() ? 1 : -1;
      for (TaskRecord d : t.deps) {
        d.pendingDependents += delta;
        recheck.add(d);
      }
    }
  }

  /** Moves a released or lost task to waiting, counting the inputs it still lacks. */
  private void toWaiting(TaskRecord t) {
    transition(t, WAITING);
    enterWaiting(t);
  }

  /** Called once a task is in WAITING: count its missing inputs, and queue it if there are none. */
  private void enterWaiting(TaskRecord t) {
    int missing = 0;
    for (TaskRecord d : t.deps) {
      if (d.state == ERRED) {
        toErr.add(t);
        t.error = "dependency " + d.key + " failed";
        return;
      }
      if (d.state != MEMORY) {
        missing++;
      }
    }
    t.waitingOn = missing;
    if (missing == 0) {
      toQueued(t, t.deps.length > 0);
    }
  }

  private void toQueued(TaskRecord t, boolean front) {
    transition(t, QUEUED);
    if (front) {
      ready.addFirst(t);
    } else {
      ready.addLast(t);
    }
  }

  /** Its only copy is gone: recompute it if anything needs it; tell its dependents. */
  private void loseResult(TaskRecord t) {
    for (TaskRecord d : t.dependents) {
      if (d.state == WAITING) {
        d.waitingOn++;
      } else if (d.state == QUEUED) {
        transition(d, WAITING);
        d.waitingOn = 1;
      }
    }
    if (t.wanted || t.pendingDependents > 0) {
      toWaiting(t);
    } else {
      transition(t, RELEASED);
    }
  }

  private void errDependents(TaskRecord failed) {
    for (TaskRecord d : failed.dependents) {
      if (d.state.isPending()) {
        d.error = "dependency " + failed.key + " failed";
        toErr.add(d);
      }
    }
  }

  /**
   * Works off the consequences of the transitions so far, iteratively: errs the dependents of
   * failed tasks, releases results nobody needs, and recomputes released results that are needed
   * again.
   */
  private void settle() {
    while (!toErr.isEmpty() || !recheck.isEmpty()) {
      while (!toErr.isEmpty()) {
        TaskRecord d = toErr.poll();
        if (!d.state.isPending() || d.graph.forgetting) {
          continue;
        }
        if (d.state == PROCESSING) {
          d.processingOn.processing.remove(d);
          d.processingOn = null;
        }
        String error = d.error;
        transition(d, ERRED);
        d.error = error;
        errDependents(d);
      }
      TaskRecord t = recheck.poll();
      if (t == null || t.graph.forgetting) {
        continue;
      }
      boolean needed = t.wanted || t.pendingDependents > 0;
      if (t.state == MEMORY && !needed) {
        for (WorkerRecord h : t.holders) {
          h.holds.remove(t);
          h.heldBytes -= t.nbytes;
          out.add(new Instruction.Release(h.name, t.id));
        }
        t.holders.clear();
        transition(t, RELEASED);
      } else if (t.state == RELEASED && needed) {
        toWaiting(t);
      }
    }
  }

  /** Hands queued tasks to workers with free slots. */
  private void fillSlots() {
    if (workers.isEmpty()) {
      return;
    }
    while (!ready.isEmpty()) {
      TaskRecord t = ready.peekFirst();
      if (t.state != QUEUED) {
        ready.pollFirst();
        continue;
      }
      WorkerRecord w = chooseWorker(t);
      if (w == null) {
        return; // every worker is full
      }
      ready.pollFirst();
      transition(t, PROCESSING);
      t.processingOn = w;
      w.processing.add(t);
      out.add(new Instruction.Assign(w.name, t));
    }
  }

  /** The free worker holding most of the task's input bytes, else the least loaded free one. */
  private WorkerRecord chooseWorker(TaskRecord t) {
    WorkerRecord best = null;
    long bestBytes = -1;
    double bestLoad = Double.MAX_VALUE;
    for (WorkerRecord w : workers.values()) {
      int cap = capacity(w);
      if (w.processing.size() >= cap || w.retirement != null) {
        continue;
      }
      long bytes = 0;
      for (TaskRecord d : t.deps) {
        if (d.holders.contains(w)) {
          bytes += Math.max(1, d.nbytes);
        }
      }
      double load = (double) w.processing.size() / w.nthreads;
      if (bytes > bestBytes || (bytes == bestBytes && load < bestLoad)) {
        best = w;
        bestBytes = bytes;
        bestLoad = load;
      }
    }
    return best;
  }

  // ------------------------------------------------------------------ retirements

  private static boolean needed(TaskRecord t) {
    return t.wanted || t.pendingDependents > 0;
  }

  /** Workers that take tasks and copies: registered and not retiring. */
  private List<WorkerRecord> activeWorkers() {
    List<WorkerRecord> active = new ArrayList<>(workers.size());
    for (WorkerRecord w : workers.values()) {
      if (w.retirement == null) {
        active.add(w);
      }
    }
    return active;
  }

  private static boolean heldByAnActiveWorker(TaskRecord t) {
    for (WorkerRecord h : t.holders) {
      if (h.retirement == null) {
        return true;
      }
    }
    return false;
  }

  /** Some retirement is copying {@code t} now. */
  private static boolean beingCopied(TaskRecord t) {
    for (WorkerRecord h : t.holders) {
      if (h.retirement != null && h.retirement.pending.containsKey(t)) {
        return true;
      }
    }
    return false;
  }

  /** The copy of {@code t} asked of {@code to} will not come: forget it, so that it is asked again. */
  private void dropCopy(TaskRecord t, WorkerRecord to) {
    for (WorkerRecord h : t.holders) {
      Retirement r = h.retirement;
      if (r != null && r.pending.get(t) == to) {
        r.pending.remove(t);
      }
    }
  }

  /**
   * Moves every unfinished retirement on: lets go of results that an active worker also holds,
   * asks active workers to copy the ones only retiring workers hold and that are still needed, and
   * finishes the retirements with nothing left to wait for.
   */
  private void advanceRetirements() {
    List<WorkerRecord> active = null;
    for (WorkerRecord w : workers.values()) {
      Retirement r = w.retirement;
      if (r == null || r.finished) {
        continue;
      }
      if (active == null) {
        active = activeWorkers();
      }
      advance(r, active);
    }
  }

  private void advance(Retirement r, List<WorkerRecord> active) {
    WorkerRecord w = r.worker;
    // copies that can no longer come, or that nobody needs any more
    r.pending.entrySet().removeIf(e -> {
      TaskRecord t = e.getKey();
      WorkerRecord to = e.getValue();
      return t.state != MEMORY || !t.holders.contains(w) || workers.get(to.name) != to || to.retirement != null;
    });
    if (active.isEmpty()) {
      finishRetirement(r, true);
      return;
    }
    Map<WorkerRecord, Long> planned = new HashMap<>();
    for (Map.Entry<TaskRecord, WorkerRecord> e : r.pending.entrySet()) {
      planned.merge(e.getValue(), e.getKey().nbytes, Long::sum);
    }
    for (TaskRecord t : new ArrayList<>(w.holds)) {
      if (heldByAnActiveWorker(t)) {
        detach(t, w); // an active worker has it: this copy is not counted on any more
        continue;
      }
      if (!needed(t) || r.pending.containsKey(t) || beingCopied(t) || r.attempts(t) >= Retirement.MAX_ATTEMPTS) {
        continue;
      }
      WorkerRecord to = copyTarget(active, planned, r.attempts(t));
      r.pending.put(t, to);
      r.attempts.merge(t, 1, Integer::sum);
      planned.merge(to, t.nbytes, Long::sum);
      out.add(new Instruction.Replicate(to.name, t));
    }
    if (w.processing.isEmpty() && r.pending.isEmpty()) {
      finishRetirement(r, false);
    }
  }

  /** The active worker with the fewest held and planned bytes; a later attempt takes the next one. */
  private static WorkerRecord copyTarget(List<WorkerRecord> active, Map<WorkerRecord, Long> planned, int attempt) {
    List<WorkerRecord> byLoad = new ArrayList<>(active);
    byLoad.sort((a, b) -> Long.compare(a.heldBytes + planned.getOrDefault(a, 0L), b.heldBytes + planned.getOrDefault(b, 0L)));
    return byLoad.get(attempt % byLoad.size());
  }

  private void finishRetirement(Retirement r, boolean alone) {
    r.finished = true;
    out.add(retired(r, alone));
  }

  private static Instruction.Retired retired(Retirement r, boolean alone) {
    int left = 0;
    for (TaskRecord t : r.worker.holds) {
      if (needed(t) && !heldByAnActiveWorker(t)) {
        left++;
      }
    }
    return new Instruction.Retired(r.worker.name, r.handed, r.handedBytes, left, alone);
  }

  private List<Instruction> drain() {
    List<Instruction> result = out;
    out = new ArrayList<>();
    return result;
  }
}
