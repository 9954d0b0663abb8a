package org.tasklane.scheduler;

import static org.tasklane.protocol.TaskState.MEMORY;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Graceful retirements ({@link Retirement}): a retiring worker gets no new tasks; each result only
 * it holds that is still needed is copied to an active worker ({@link Instruction.Replicate}),
 * the one with the fewest held and planned bytes; once a copy is confirmed the retiring worker no
 * longer counts as its holder; {@link Instruction.Retired} says when it may leave.
 */
final class RetirementPlanner {
  private final TableState s;
  private final TaskMoves moves;

  RetirementPlanner(TableState s, TaskMoves moves) {
    this.s = s;
    this.moves = moves;
  }

  /** The worker starts retiring; asked again once finished, it gets its answer again. */
  void retire(WorkerRecord w, long nowNanos) {
    if (w.retirement == null) {
      w.retirement = new Retirement(w, nowNanos);
      s.retiring.add(w);
      s.placement.index.refresh(w);
      s.workerSetVersion++;
    } else if (w.retirement.finished) {
      s.emit(retired(w.retirement, s.activeWorkers().isEmpty()));
    }
  }

  /** Its time is up: it may leave now; what only it holds is computed again after it is gone. */
  void timedOut(WorkerRecord w) {
    if (w.retirement != null && !w.retirement.finished) {
      finish(w.retirement, s.activeWorkers().isEmpty());
    }
  }

  /**
   * {@code to} fetched copies of {@code stored} and could not fetch {@code failed}: it now holds the
   * copies, and the retiring workers they came from no longer count as their holders. A copy that
   * failed is asked of another worker later (at most {@link Retirement#MAX_ATTEMPTS} in all).
   */
  void copiesArrived(WorkerRecord to, List<Long> stored, List<Long> failed) {
    for (long id : stored) {
      TaskRecord t = s.tasks.get(id);
      if (t == null || t.state != MEMORY || to.retirement != null) {
        if (t == null || !t.holders.contains(to)) {
          s.emit(new Instruction.Release(to.name, id));
        }
        if (t != null) {
          dropCopy(t, to);
        }
        continue;
      }
      moves.addHolder(t, to);
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
        moves.detach(t, h);
      }
      if (asked) {
        t.graph.handedOff++;
      }
      s.recheck.add(t);
    }
    for (long id : failed) {
      TaskRecord t = s.tasks.get(id);
      if (t != null) {
        dropCopy(t, to);
      }
    }
  }

  /**
   * Moves every unfinished retirement on: lets go of results that an active worker also holds,
   * asks active workers to copy the ones only retiring workers hold and that are still needed, and
   * finishes the retirements with nothing left to wait for.
   */
  void advanceAll() {
    if (s.retiring.isEmpty()) {
      return; // the usual case: nothing to look at, however many workers there are
    }
    List<WorkerRecord> active = null;
    for (WorkerRecord w : new ArrayList<>(s.retiring)) {
      Retirement r = w.retirement;
      if (active == null) {
        active = s.activeWorkers();
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
      return t.state != MEMORY || !t.holders.contains(w) || s.workers.get(to.name) != to || to.retirement != null;
    });
    if (active.isEmpty()) {
      finish(r, true);
      return;
    }
    Map<WorkerRecord, Long> planned = new HashMap<>();
    for (Map.Entry<TaskRecord, WorkerRecord> e : r.pending.entrySet()) {
      planned.merge(e.getValue(), e.getKey().nbytes, Long::sum);
    }
    for (TaskRecord t : new ArrayList<>(w.holds)) {
      if (heldByAnActiveWorker(t)) {
        moves.detach(t, w); // an active worker has it: this copy is not counted on any more
        continue;
      }
      if (!TableState.needed(t) || r.pending.containsKey(t) || beingCopied(t)
          || r.attempts(t) >= Retirement.MAX_ATTEMPTS) {
        continue;
      }
      WorkerRecord to = copyTarget(active, planned, r.attempts(t));
      r.pending.put(t, to);
      r.attempts.merge(t, 1, Integer::sum);
      planned.merge(to, t.nbytes, Long::sum);
      s.emit(new Instruction.Replicate(to.name, t));
    }
    if (w.processing.isEmpty() && r.pending.isEmpty()) {
      finish(r, false);
    }
  }

  /** The active worker with the fewest held and planned bytes; a later attempt takes the next one. */
  static WorkerRecord copyTarget(List<WorkerRecord> active, Map<WorkerRecord, Long> planned, int attempt) {
    List<WorkerRecord> byLoad = new ArrayList<>(active);
    byLoad.sort((a, b) -> Long.compare(a.heldBytes + planned.getOrDefault(a, 0L), b.heldBytes + planned.getOrDefault(b, 0L)));
    return byLoad.get(attempt % byLoad.size());
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
  private static void dropCopy(TaskRecord t, WorkerRecord to) {
    for (WorkerRecord h : t.holders) {
      Retirement r = h.retirement;
      if (r != null && r.pending.get(t) == to) {
        r.pending.remove(t);
      }
    }
  }

  private void finish(Retirement r, boolean alone) {
    r.finished = true;
    s.retiring.remove(r.worker);
    s.emit(retired(r, alone));
  }

  private static Instruction.Retired retired(Retirement r, boolean alone) {
    int left = 0;
    for (TaskRecord t : r.worker.holds) {
      if (TableState.needed(t) && !heldByAnActiveWorker(t)) {
        left++;
      }
    }
    return new Instruction.Retired(r.worker.name, r.handed, r.handedBytes, left, alone);
  }
}
