package org.tasklane.dashboard.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;
import org.tasklane.protocol.Transfer;

/**
 * The chain of task runs, transfers and waits that decided a run's duration. It starts at the task
 * that finished last and walks back: a task's start was decided by the input that arrived last (its
 * transfer's stop if it was fetched from a peer, else the input task's stop), or for a root by the
 * graph's submission. Each task counts by its last successful run. An input missing from the records
 * (a partial run) ends the walk there, and {@link #complete()} is false with the reason.
 *
 * @param steps the chain, earliest first
 * @param complete true if the walk reached a root (and from it the submission, when known)
 * @param stopReason why the walk stopped early, in one line; "" if complete
 * @param runMicros the run's duration: from its submission (or first start) to the last stop
 */
public record CriticalPath(List<Step> steps, boolean complete, String stopReason, long runMicros) {

  public enum Kind { TASK, TRANSFER, WAIT }

  /**
   * One step of the path (times in epoch microseconds).
   *
   * @param taskId the task that ran (TASK), whose result moved (TRANSFER), or that waited (WAIT)
   * @param label the task's key (TASK, WAIT) or the moved result's key (TRANSFER)
   * @param worker where it happened (the receiving worker for a transfer)
   * @param thread the worker thread (of the receiving task for a transfer or a wait)
   */
  public record Step(Kind kind, long taskId, String label, String worker, String thread, long startMicros,
      long stopMicros) {
    public long micros() {
      return Math.max(0, stopMicros - startMicros);
    }
  }

  /** The time on the path spent in each kind of step. */
  public long micros(Kind kind) {
    long sum = 0;
    for (Step s : steps) {
      if (s.kind() == kind) {
        sum += s.micros();
      }
    }
    return sum;
  }

  /** The part of the run's duration the path's steps of this kind account for, 0..1. */
  public double share(Kind kind) {
    return runMicros <= 0 ? 0 : Math.min(1.0, micros(kind) / (double) runMicros);
  }

  /** The part of the run's duration the path covers, 0..1 (1 for a complete path). */
  public double coverage() {
    if (runMicros <= 0 || steps.isEmpty()) {
      return 0;
    }
    long span = steps.get(steps.size() - 1).stopMicros() - steps.get(0).startMicros();
    return Math.max(0, Math.min(1.0, span / (double) runMicros));
  }

  /**
   * The critical path of the task runs in {@code lastGood} (each task id's run that counts).
   *
   * @param submittedMicros when the graph was submitted (epoch microseconds); 0 if unknown
   */
  public static CriticalPath of(Map<Long, TaskEvent> lastGood, long submittedMicros) {
    if (lastGood.isEmpty()) {
      return new CriticalPath(List.of(), false, "no task of the run is in the records", 0);
    }
    TaskEvent last = null;
    long first = Long.MAX_VALUE;
    for (TaskEvent t : lastGood.values()) {
      if (last == null || t.stopMicros() > last.stopMicros()
          || (t.stopMicros() == last.stopMicros() && t.taskId() < last.taskId())) {
        last = t;
      }
      first = Math.min(first, t.startMicros());
    }
    long origin = submittedMicros > 0 ? Math.min(submittedMicros, first) : first;
    long runMicros = last.stopMicros() - origin;

    List<Step> reversed = new ArrayList<>();
    Set<Long> visited = new HashSet<>();
    TaskEvent task = last;
    String reason = "";
    while (true) {
      visited.add(task.taskId());
      reversed.add(new Step(Kind.TASK, task.taskId(), task.key(), task.worker(), task.thread(), task.startMicros(),
          task.stopMicros()));
      if (task.deps().isEmpty()) {
        if (submittedMicros > 0 && submittedMicros < task.startMicros()) {
          reversed.add(waitBefore(task, submittedMicros));
        }
        break;
      }
      // the input that arrived last decided when this task could start
      Long decidingId = null;
      long arrival = Long.MIN_VALUE;
      Transfer decidingTransfer = null;
      String missing = null;
      for (Long dep : task.deps()) {
        Transfer moved = transferOf(task, dep);
        TaskEvent input = lastGood.get(dep);
        long at;
        if (moved != null) {
          at = moved.stopMicros();
        } else if (input != null) {
          at = input.stopMicros();
        } else {
          missing = "input task " + dep + " of " + task.key() + " is not in the records (the run is partial)";
          continue;
        }
        if (at > arrival) {
          arrival = at;
          decidingId = dep;
          decidingTransfer = moved;
        }
      }
      if (missing != null) {
        reason = missing;
        break;
      }
      if (arrival < task.startMicros()) {
        reversed.add(waitBefore(task, arrival));
      }
      if (decidingTransfer != null) {
        reversed.add(new Step(Kind.TRANSFER, decidingTransfer.taskId(), decidingTransfer.key(), task.worker(),
            task.thread(), decidingTransfer.startMicros(), decidingTransfer.stopMicros()));
      }
      TaskEvent input = lastGood.get(decidingId);
      if (input == null) {
        reason = "input task " + decidingTransfer.key() + " of " + task.key()
            + " is not in the records, only its transfer (the run is partial)";
        break;
      }
      if (visited.contains(input.taskId())) {
        reason = "the records loop back to " + input.key() + " (inconsistent times or dependencies)";
        break;
      }
      long gapStart = input.stopMicros();
      long gapStop = decidingTransfer != null ? decidingTransfer.startMicros() : arrival;
      if (decidingTransfer != null && gapStart < gapStop) {
        reversed.add(new Step(Kind.WAIT, task.taskId(), decidingTransfer.key(), task.worker(), task.thread(), gapStart,
            gapStop));
      }
      task = input;
    }
    Collections.reverse(reversed);
    return new CriticalPath(List.copyOf(reversed), reason.isEmpty(), reason, runMicros);
  }

  private static Step waitBefore(TaskEvent task, long from) {
    return new Step(Kind.WAIT, task.taskId(), task.key(), task.worker(), task.thread(), from, task.startMicros());
  }

  private static Transfer transferOf(TaskEvent task, long dep) {
    for (Transfer x : task.transfers()) {
      if (x.taskId() == dep) {
        return x;
      }
    }
    return null;
  }
}
