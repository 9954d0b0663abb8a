package org.tasklane.scheduler;

import static org.tasklane.protocol.TaskState.*;

import java.util.ArrayList;
import java.util.List;
import org.tasklane.protocol.TaskState;

/**
 * The legal moves of a task ({@link TaskTransitions}), each a handler that keeps every relation in
 * step, so that no caller touches them:
 *
 * <ul>
 *   <li>who processes it: set by {@link #toProcessing}, cleared by every move out of processing;
 *   <li>who holds its result and their bytes: {@link #toMemory} adds the worker that made it, every
 *       move out of memory releases the holders left ({@link Instruction.Release});
 *   <li>what a waiting task still lacks ({@code waitingOn}): counted by {@link #toWaiting}, lowered
 *       when an input reaches memory, raised (or a queued dependent sent back to waiting) when an
 *       input leaves it;
 *   <li>how many pending dependents need a result ({@code pendingDependents}), the graph's counts,
 *       the group counts ({@link GroupBoard}) and the transition log.
 * </ul>
 *
 * Nothing here recurses over the graph: consequences go to the work lists {@code recheck} and
 * {@code toErr}, which the table's end-of-event sequence works off.
 */
final class TaskMoves {
  private final TableState s;

  TaskMoves(TableState s) {
    this.s = s;
  }

  // ------------------------------------------------------------------ the moves

  /** released → waiting, or back from queued, processing or memory: counts the inputs it lacks. */
  void toWaiting(TaskRecord t) {
    move(t, WAITING);
    int missing = 0;
    for (TaskRecord d : t.deps) {
      if (d.state == ERRED) {
        t.error = "dependency " + d.key + " failed";
        s.toErr.add(t);
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

  /** waiting → queued: ready for a worker; freed by a completion it goes to the front (depth first). */
  void toQueued(TaskRecord t, boolean front) {
    move(t, QUEUED);
    if (s.placement.heldBack(t)) {
      s.rootQueue.addLast(t);
    } else if (front) {
      s.ready.addFirst(t);
    } else {
      s.ready.addLast(t);
    }
  }

  /** queued → processing on {@code w}. */
  void toProcessing(TaskRecord t, WorkerRecord w) {
    move(t, PROCESSING);
    t.processingOn = w;
    w.processing.add(t);
    workerChanged(w);
    s.emit(new Instruction.Assign(w.name, t));
  }

  /** processing → memory: {@code w} made it; dependents that waited only for it are queued. */
  void toMemory(TaskRecord t, WorkerRecord w, long nbytes) {
    t.nbytes = nbytes;
    addHolder(t, w);
    move(t, MEMORY);
    for (TaskRecord d : t.dependents) {
      if (d.state == WAITING && --d.waitingOn == 0) {
        toQueued(d, true);
      }
    }
    s.recheck.add(t);
  }

  /** Errs the task (its own failure, or a dependency's: {@code root} false); its pending dependents follow. */
  void toErred(TaskRecord t, String error, boolean root) {
    t.error = error;
    t.rootFailure = root;
    move(t, ERRED);
    for (TaskRecord d : t.dependents) {
      if (d.state.isPending()) {
        d.error = "dependency " + t.key + " failed";
        s.toErr.add(d);
      }
    }
  }

  /** Not needed (any more), or its graph is cancelled. */
  void toReleased(TaskRecord t) {
    move(t, RELEASED);
  }

  /** released or erred → forgotten: it leaves the table (its graph leaves the index with it). */
  void toForgotten(TaskRecord t) {
    move(t, FORGOTTEN);
  }

  /** Its last holder is gone: computed again if anything needs it, else released. */
  void loseResult(TaskRecord t) {
    if (TableState.needed(t)) {
      toWaiting(t);
    } else {
      toReleased(t);
    }
  }

  // ------------------------------------------------------------------ holders

  void addHolder(TaskRecord t, WorkerRecord w) {
    if (!t.holders.contains(w)) {
      t.holders = with(t.holders, w);
      w.holds.add(t);
      w.heldBytes += t.nbytes;
      s.workerFiguresVersion++;
    }
  }

  /** The worker no longer counts as a holder of the result (it keeps its copy, or has lost it). */
  void detach(TaskRecord t, WorkerRecord w) {
    if (t.holders.contains(w)) {
      t.holders = without(t.holders, w);
      w.holds.remove(t);
      w.heldBytes -= t.nbytes;
      s.workerFiguresVersion++;
    }
  }

  /** Every holder lost its copy (it died, or could not hand it over): nothing is sent to them. */
  void dropAllHolders(TaskRecord t) {
    for (WorkerRecord h : t.holders) {
      h.holds.remove(t);
      h.heldBytes -= t.nbytes;
    }
    t.holders = List.of();
    s.workerFiguresVersion++;
  }

  /** A task's holders and one more (the lists are immutable: a task's are replaced whole). */
  private static List<WorkerRecord> with(List<WorkerRecord> holders, WorkerRecord w) {
    WorkerRecord[] more = holders.toArray(new WorkerRecord[holders.size() + 1]);
    more[holders.size()] = w;
    return List.of(more);
  }

  private static List<WorkerRecord> without(List<WorkerRecord> holders, WorkerRecord w) {
    List<WorkerRecord> fewer = new ArrayList<>(holders);
    fewer.remove(w);
    return List.copyOf(fewer);
  }

  // ------------------------------------------------------------------ the one place a state changes

  private void move(TaskRecord t, TaskState to) {
    TaskState from = t.state;
    TaskTransitions.check(t.key, from, to);
    if (from == PROCESSING) {
      t.processingOn.processing.remove(t);
      workerChanged(t.processingOn);
      t.processingOn = null;
    } else if (from == MEMORY) {
      for (WorkerRecord h : t.holders) {
        h.holds.remove(t);
        h.heldBytes -= t.nbytes;
        s.emit(new Instruction.Release(h.name, t.id));
      }
      t.holders = List.of();
      s.workerFiguresVersion++;
    }
    boolean wasCompleted = t.completed;
    if (to == MEMORY) {
      t.completed = true;
    } else if (to == WAITING) {
      t.completed = false; // lost or released, and needed again: computed anew
    }
    GraphRecord g = t.graph;
    g.stateCounts[from.ordinal()]--;
    g.stateCounts[to.ordinal()]++;
    t.state = to;
    s.groups.taskMoved(t, from, wasCompleted);
    s.log.record(t, from, to, s.cause);
    countFinished(t, g, wasCompleted || from == ERRED, to);
    if (to == ERRED) {
      g.erredCount++;
      g.noteError(t);
    }
    // pending tasks hold their inputs in memory
    if (from.isPending() != to.isPending()) {
      int delta = to.isPending() ? 1 : -1;
      for (TaskRecord d : t.deps) {
        d.pendingDependents += delta;
        s.recheck.add(d);
      }
    }
    if (from == MEMORY && !g.forgetting) {
      inputLeftMemory(t);
    }
  }

  /** The worker's processing changed: its place in the index of free workers, and its figures. */
  private void workerChanged(WorkerRecord w) {
    s.placement.index.refresh(w);
    s.workerFiguresVersion++;
  }

  /** The graph's {@code remaining} (tasks neither completed nor erred) and its end. */
  private void countFinished(TaskRecord t, GraphRecord g, boolean wasDone, TaskState to) {
    boolean isDone = t.completed || to == ERRED;
    if (to == FORGOTTEN || wasDone == isDone) {
      return;
    }
    if (isDone && t.wanted && !t.listedFinished) {
      t.listedFinished = true;
      g.finishedWanted.add(t);
    }
    g.remaining += isDone ? -1 : 1;
    if (isDone && g.remaining == 0) {
      g.finishedMillis = System.currentTimeMillis();
      s.emit(new Instruction.GraphFinished(g.id));
    } else if (!isDone) {
      g.finishedMillis = 0;
    }
  }

  /** An input left memory: waiting dependents lack one more, queued ones wait again. */
  private void inputLeftMemory(TaskRecord t) {
    for (TaskRecord d : t.dependents) {
      if (d.state == WAITING) {
        d.waitingOn++;
      } else if (d.state == QUEUED) {
        toWaiting(d);
      }
    }
  }
}
