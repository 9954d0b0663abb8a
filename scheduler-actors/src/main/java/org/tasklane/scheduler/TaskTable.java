package org.tasklane.scheduler;

import static org.tasklane.protocol.TaskState.*;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.WorkerProtocol;

/**
 * The scheduler's decisions, with no actors in sight (Dask's scheduler state machine): one way in,
 * {@link #handle}, takes an {@link Event} and returns the instructions for the actor to carry out.
 * Each event's handler makes its moves through {@link TaskMoves} (one handler per legal transition,
 * which keeps every relation in step), then one end-of-event sequence runs: settle the consequences
 * (err dependents of failed tasks, release results nobody needs, recompute released ones needed
 * again), fill free worker slots ({@link Placement}), advance retirements
 * ({@link RetirementPlanner}), and, with {@code tasklane.scheduler.validate} on, check every
 * invariant ({@link TableValidator}). Each transition is kept in a bounded {@link TransitionLog}.
 *
 * <p>Policies: every task of a graph runs; a result is released as soon as no pending dependent
 * needs it and the client does not want it; a task whose function throws with retries left is
 * assigned again; a task assigned to workers that died {@code allowedFailures} times errs (a poison
 * task); a retiring worker's needed results are copied before it leaves. Nothing recurses over the
 * graph: long chains are walked with work lists.
 */
public final class TaskTable {

  private final TableState s;
  private final TaskMoves moves;
  private final ReportIntake reports;
  private final RetirementPlanner retirements;
  private final java.util.function.BiConsumer<TaskRecord, WorkerRecord> assign;
  private long nextTaskId = 1;
  private long eventsSinceValidation;

  public TaskTable() {
    this(TablePolicy.DEFAULT);
  }

  public TaskTable(TablePolicy policy) {
    this(policy, TableSettings.DEFAULT);
  }

  public TaskTable(TablePolicy policy, TableSettings settings) {
    this.s = new TableState(policy, settings);
    this.moves = new TaskMoves(s);
    this.reports = new ReportIntake(s, moves);
    this.retirements = new RetirementPlanner(s, moves);
    this.assign = moves::toProcessing;
  }

  public void observe(TaskObserver observer) {
    s.observer = observer;
  }

  // ------------------------------------------------------------------ the one way in

  /**
   * Takes one event and returns what the actor must do. Throws {@link IllegalArgumentException},
   * changing nothing, for a graph id or worker name that is taken; {@link IllegalStateException} if
   * validation is on and an invariant broke.
   */
  public List<Instruction> handle(Event e) {
    s.cause = s.log.capacity() == 0 ? "" : e.describe();
    if (e instanceof Event.Reports r) {
      onReports(r);
    } else if (e instanceof Event.Submit sub) {
      onSubmit(sub);
    } else if (e instanceof Event.WorkerJoined j) {
      onWorkerJoined(j);
    } else if (e instanceof Event.WorkerLeft l) {
      onWorkerLeft(l);
    } else if (e instanceof Event.Forget f) {
      onForget(f);
    } else if (e instanceof Event.Retire r) {
      WorkerRecord w = s.workers.get(r.worker());
      if (w != null) {
        retirements.retire(w, r.nowNanos());
      }
    } else if (e instanceof Event.RetireTimedOut t) {
      WorkerRecord w = s.workers.get(t.worker());
      if (w != null) {
        retirements.timedOut(w);
      }
    } else if (e instanceof Event.ReplicasFetched f) {
      WorkerRecord w = s.workers.get(f.worker());
      if (w != null) {
        retirements.copiesArrived(w, f.stored(), f.failed());
      }
    } else if (e instanceof Event.Pinged p) {
      WorkerRecord w = s.workers.get(p.worker());
      if (w != null) {
        w.latencyMillis = w.latencyMillis == 0 ? p.roundTripMillis() : 0.7 * w.latencyMillis + 0.3 * p.roundTripMillis();
        s.workerFiguresVersion++;
      }
    } else if (e instanceof Event.WorkerPaused wp) {
      WorkerRecord w = s.workers.get(wp.worker());
      if (w != null && w.paused != wp.paused()) {
        w.paused = wp.paused();
        s.placement.index.refresh(w);
        s.workerSetVersion++;
      }
    }
    return endOfEvent();
  }

  /** The one end-of-event sequence: settle, fill slots, advance retirements, validate, drain. */
  private List<Instruction> endOfEvent() {
    settle();
    s.placement.fillSlots(s.ready, s.rootQueue, assign);
    retirements.advanceAll();
    if (s.settings.validateNow(++eventsSinceValidation, s.tasks.size())) {
      eventsSinceValidation = 0;
      TableValidator.validate(s);
    }
    return s.drain();
  }

  /**
   * Works off the consequences of the moves so far, iteratively: errs the dependents of failed
   * tasks, releases results nobody needs, and recomputes released results that are needed again.
   */
  private void settle() {
    while (!s.toErr.isEmpty() || !s.recheck.isEmpty()) {
      while (!s.toErr.isEmpty()) {
        TaskRecord d = s.toErr.poll();
        if (d.state.isPending() && !d.graph.forgetting) {
          moves.toErred(d, d.error, false);
        }
      }
      TaskRecord t = s.recheck.poll();
      if (t == null || t.graph.forgetting) {
        continue;
      }
      boolean needed = TableState.needed(t);
      if (t.state == MEMORY && !needed) {
        moves.toReleased(t);
      } else if (t.state == RELEASED && needed) {
        moves.toWaiting(t);
      }
    }
  }

  // ------------------------------------------------------------------ events

  private void onSubmit(Event.Submit e) {
    if (s.graphs.containsKey(e.graphId())) {
      throw new IllegalArgumentException("graph " + e.graphId() + " exists already");
    }
    GraphRecord g = GraphBuilder.build(e.graphId(), e.spec(), e.nowMillis(), nextTaskId, s.groups);
    nextTaskId += g.tasks.length;
    s.graphs.put(g.id, g);
    s.tasks.add(g);
    for (TaskRecord t : g.tasks) {
      moves.toWaiting(t);
    }
  }

  private void onWorkerJoined(Event.WorkerJoined e) {
    if (s.workers.containsKey(e.worker())) {
      throw new IllegalArgumentException("worker " + e.worker() + " is registered already");
    }
    WorkerRecord w = new WorkerRecord(e.worker(), e.nthreads(), e.functions(), e.contact());
    s.workers.put(w.name, w);
    if (w.contact != null) {
      s.workersByRef.put(w.contact.worker(), w);
    }
    s.placement.index.joined(w);
    s.workerSetVersion++;
  }

  /**
   * A worker left or died: what it was running goes back to waiting, and the results only it
   * held are computed again if anything still needs them. Unless the worker was retiring (a
   * graceful stop), each of the tasks it may have been running (its oldest {@code nthreads}) counts
   * a death; a task at {@link TablePolicy#allowedFailures} deaths errs, and its dependents with it.
   */
  private void onWorkerLeft(Event.WorkerLeft e) {
    WorkerRecord w = s.workers.remove(e.worker());
    if (w == null) {
      return;
    }
    if (w.contact != null) {
      s.workersByRef.remove(w.contact.worker());
    }
    s.placement.index.left(w);
    s.retiring.remove(w);
    s.workerSetVersion++;
    for (TaskRecord t : new ArrayList<>(w.holds)) {
      moves.detach(t, w);
      if (t.holders.isEmpty() && t.state == MEMORY) {
        moves.loseResult(t);
      }
    }
    // A worker runs its tasks in the order they were assigned, nthreads at a time: only the oldest
    // nthreads it still had can have been running when it died. Those queued behind them are not
    // suspects, so a task that kills its worker does not take the tasks queued after it down too.
    int suspects = w.retirement == null ? w.nthreads : 0;
    for (TaskRecord t : new ArrayList<>(w.processing)) {
      if (suspects-- > 0 && ++t.deaths >= s.policy.allowedFailures()) {
        moves.toErred(t, Attempts.poisoned(t.key, t.deaths, w.name), true);
      } else {
        moves.toWaiting(t);
      }
    }
  }

  private void onReports(Event.Reports e) {
    WorkerRecord w = s.workers.get(e.worker());
    for (TaskReport r : e.reports()) {
      if (w == null) {
        // a worker we no longer count on: everything it made is recomputed elsewhere
        s.emit(new Instruction.Release(e.worker(), r.taskId()));
      } else {
        reports.take(w, r);
      }
    }
  }

  /** Stops computing a graph and drops everything it holds; its tasks are forgotten. */
  private void onForget(Event.Forget e) {
    GraphRecord g = s.graphs.remove(e.graphId());
    if (g == null) {
      return;
    }
    s.groups.graphForgotten(g, System.currentTimeMillis());
    g.forgetting = true;
    for (TaskRecord t : g.tasks) {
      if (t.state != RELEASED && t.state != ERRED && t.state != FORGOTTEN) {
        moves.toReleased(t);
      }
    }
    for (TaskRecord t : g.tasks) {
      moves.toForgotten(t);
    }
    s.tasks.remove(g);
    // placement skips forgotten tasks when it meets them, but with no worker (or none free) it never
    // does, and they would hold the whole graph
    s.ready.removeIf(t -> t.state == FORGOTTEN);
    s.rootQueue.removeIf(t -> t.state == FORGOTTEN);
    s.groups.graphGone(g);
    s.recheck.clear();
  }

  /** The length of the ready queues (root queue included), forgotten tasks included (for tests). */
  int readyQueueLength() {
    return s.ready.size() + s.rootQueue.size();
  }

  // ------------------------------------------------------------------ queries

  /** Whether the registered workers know every function of the graph; no workers means yes. */
  public FunctionCheck checkFunctions(GraphSpec spec) {
    return FunctionCheck.of(spec, s.workers.values());
  }

  public TablePolicy policy() {
    return s.policy;
  }

  public GraphRecord graph(String graphId) {
    return s.graphs.get(graphId);
  }

  public Collection<GraphRecord> graphs() {
    return s.graphs.values();
  }

  public TaskRecord task(long id) {
    return s.tasks.get(id);
  }

  public TaskRecord task(String graphId, String key) {
    GraphRecord g = s.graphs.get(graphId);
    return g == null ? null : g.byKey.get(key);
  }

  public WorkerRecord worker(String name) {
    return s.workers.get(name);
  }

  /** The registered worker this actor is, or null. */
  public WorkerRecord worker(ActorRef<WorkerProtocol.Command> ref) {
    return s.workersByRef.get(ref);
  }

  public Collection<WorkerRecord> workers() {
    return s.workers.values();
  }

  /**
   * Tasks ready and waiting on the scheduler for a worker slot. Counted from the graphs, not from
   * the ready queue: a task that went back to waiting and was queued again is in it twice.
   */
  public int queuedCount() {
    int n = 0;
    for (GraphRecord g : s.graphs.values()) {
      n += g.stateCounts[QUEUED.ordinal()];
    }
    return n;
  }

  /** How many tasks this worker may have assigned at once. */
  public int capacity(WorkerRecord w) {
    return s.placement.capacity(w);
  }

  /** Whether this task, when queued, waits in the root queue for a worker below saturation. */
  boolean heldBack(TaskRecord t) {
    return s.placement.heldBack(t);
  }

  /** How many tasks a worker may have processing and still be given a held-back root task. */
  int rootSlots(WorkerRecord w) {
    return s.placement.rootSlots(w);
  }

  /** The registered workers' task threads, summed (kept up to date, not counted). */
  public long threads() {
    return s.placement.index.threads();
  }

  /** Changes whenever a worker's processing count, held results or latency changes (for dashboards). */
  long workerFiguresVersion() {
    return s.workerFiguresVersion;
  }

  /** Changes whenever a worker joins, leaves, retires, pauses or resumes (for dashboards). */
  long workerSetVersion() {
    return s.workerSetVersion;
  }

  /** The dashboard's aggregation of groups and graph changes. */
  GroupBoard groups() {
    return s.groups;
  }

  /** The cluster-wide counts of every group of the live graphs, in the order they first appeared. */
  public List<org.tasklane.protocol.api.GroupProgress> groupProgress() {
    return s.groups.groupProgress();
  }

  /** Every graph held, each with every group (for a dashboard's snapshot). */
  public List<DashboardProtocol.GraphEvent> graphEvents() {
    return GroupBoard.graphEvents(s.graphs.values());
  }

  /** The latest kept transitions of a task, oldest first, at most {@code max}. */
  List<TransitionLog.Entry> transitions(long taskId, int max) {
    return s.log.of(taskId, max);
  }

  /** The latest {@code n} transitions kept, oldest first. */
  List<TransitionLog.Entry> recentTransitions(int n) {
    return s.log.last(n);
  }

  /** Checks every invariant now; throws {@link IllegalStateException} naming the first one broken. */
  void validate() {
    TableValidator.validate(s);
  }
}
