package org.tasklane.scheduler;

import static org.tasklane.protocol.TaskState.QUEUED;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * Where a ready task goes: to the worker with a free slot that holds most of its input bytes, else
 * to the least loaded one with a free slot; a retiring worker gets none. A worker's slots are its
 * threads plus enough queued tasks to cover about {@code queueTargetMicros} of work at its measured
 * task duration (at least one, at most {@code maxQueuedPerThread} per thread beyond its threads).
 * Reads the records, changes none: the table makes the move.
 */
final class Placement {
  private final TablePolicy policy;

  Placement(TablePolicy policy) {
    this.policy = policy;
  }

  /** How many tasks this worker may have assigned at once. */
  int capacity(WorkerRecord w) {
    long extra;
    if (w.avgTaskMicros <= 0) {
      extra = w.nthreads;
    } else {
      extra = (long) Math.ceil(w.nthreads * policy.queueTargetMicros() / w.avgTaskMicros);
    }
    extra = Math.max(1, Math.min(extra, (long) policy.maxQueuedPerThread() * w.nthreads));
    return (int) (w.nthreads + extra);
  }

  /** The free worker holding most of the task's input bytes, else the least loaded free one; null if none is free. */
  WorkerRecord chooseWorker(TaskRecord t, Collection<WorkerRecord> workers) {
    WorkerRecord best = null;
    long bestBytes = -1;
    double bestLoad = Double.MAX_VALUE;
    for (WorkerRecord w : workers) {
      if (w.retirement != null || w.processing.size() >= capacity(w)) {
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

  /**
   * Hands the ready tasks, front first, to the workers chosen for them until the queue is empty or
   * every worker is full; skips entries whose task is no longer queued.
   */
  void fillSlots(ArrayDeque<TaskRecord> ready, Collection<WorkerRecord> workers,
      BiConsumer<TaskRecord, WorkerRecord> assign) {
    if (workers.isEmpty()) {
      return;
    }
    while (!ready.isEmpty()) {
      TaskRecord t = ready.peekFirst();
      if (t.state != QUEUED) {
        ready.pollFirst();
        continue;
      }
      WorkerRecord w = chooseWorker(t, workers);
      if (w == null) {
        return;
      }
      ready.pollFirst();
      assign.accept(t, w);
    }
  }
}
