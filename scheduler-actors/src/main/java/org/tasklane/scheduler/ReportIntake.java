package org.tasklane.scheduler;

import static org.tasklane.protocol.TaskState.*;

import java.util.List;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.Transfer;

/**
 * What a worker's report of one task does to the table: a success puts the result in memory, a
 * failure retries or errs the task, missing inputs send it back to waiting (and the inputs, lost,
 * to be computed again), and a report of a task no longer processing there only adds or releases
 * copies. Every change of state goes through {@link TaskMoves}.
 */
final class ReportIntake {
  private final TableState s;
  private final TaskMoves moves;

  ReportIntake(TableState s, TaskMoves moves) {
    this.s = s;
    this.moves = moves;
  }

  void take(WorkerRecord w, TaskReport r) {
    TaskRecord t = s.tasks.get(r.taskId());
    if (t == null || t.state != PROCESSING || t.processingOn != w) {
      stale(w, r, t);
      return;
    }
    List<Transfer> transfers = r.transfers();
    for (int i = 0; i < transfers.size(); i++) { // by index: an iterator per report is garbage per task
      t.graph.transfers++;
      t.graph.transferBytes += transfers.get(i).bytes();
    }
    noteInputCopies(w, r);
    if (r.outcome() != TaskReport.Outcome.MISSING_DATA) {
      // computed again after a success (its result was lost); a retry after a failure is not that
      if (t.runs++ > t.failedAttempts) {
        t.graph.recomputed++;
      }
    }
    switch (r.outcome()) {
      case OK -> {
        s.observer.taskRan(t, w.name, r);
        long micros = Math.max(0, r.stopMicros() - r.startMicros());
        w.avgTaskMicros = w.avgTaskMicros <= 0 ? Math.max(1, micros) : 0.9 * w.avgTaskMicros + 0.1 * micros;
        moves.toMemory(t, w, r.nbytes());
      }
      case ERRED -> failedAttempt(w, t, r);
      case MISSING_DATA -> {
        for (long id : r.missing()) {
          TaskRecord dep = s.tasks.get(id);
          if (dep != null && dep.state == MEMORY) {
            moves.dropAllHolders(dep);
            moves.loseResult(dep);
          }
        }
        moves.toWaiting(t);
      }
    }
  }

  /**
   * The task's function threw or timed out: with attempts left it goes back to waiting (then to
   * any worker), else it errs and its dependents with it. The task stream sees every attempt.
   */
  private void failedAttempt(WorkerRecord w, TaskRecord t, TaskReport r) {
    String error = r.error() == null ? "failed" : r.error();
    int attempt = ++t.failedAttempts;
    if (attempt <= t.retries) {
      s.observer.taskRan(t, w.name, Attempts.withError(r, Attempts.retrying(attempt, t.retries, error)));
      moves.toWaiting(t);
      return;
    }
    String last = Attempts.lastAttempt(attempt, t.retries, error);
    s.observer.taskRan(t, w.name, last.equals(r.error()) ? r : Attempts.withError(r, last));
    moves.toErred(t, last, true);
  }

  /** A report for a task that is no longer processing on that worker (cancelled, reassigned, lost). */
  private void stale(WorkerRecord w, TaskReport r, TaskRecord t) {
    if (r.outcome() == TaskReport.Outcome.OK) {
      if (t != null && t.state == MEMORY && !t.holders.contains(w) && w.retirement == null) {
        moves.addHolder(t, w); // a second good copy
      } else if (t == null || t.state != MEMORY || w.retirement != null) {
        if (t == null || !t.holders.contains(w)) {
          s.emit(new Instruction.Release(w.name, r.taskId()));
        }
      }
    }
    noteInputCopies(w, r);
  }

  /**
   * The inputs a worker fetched count as held there too; a retiring worker's copies do not (it
   * leaves soon), nor do copies of results no longer in memory: it drops those.
   */
  private void noteInputCopies(WorkerRecord w, TaskReport r) {
    List<Transfer> transfers = r.transfers();
    for (int i = 0; i < transfers.size(); i++) {
      TaskRecord input = s.tasks.get(transfers.get(i).taskId());
      if (input != null && input.state == MEMORY && w.retirement == null) {
        moves.addHolder(input, w);
      } else if (input == null || !input.holders.contains(w)) {
        s.emit(new Instruction.Release(w.name, transfers.get(i).taskId()));
      }
    }
  }
}
