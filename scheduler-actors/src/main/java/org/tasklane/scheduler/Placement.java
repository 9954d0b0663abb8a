package org.tasklane.scheduler;

import static org.tasklane.protocol.TaskState.QUEUED;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Where a ready task goes: to the worker with a free slot that holds most of its input bytes, else
 * to the least loaded one with a free slot; a retiring or paused worker gets none. A worker's slots
 * are its threads plus enough queued tasks to cover about {@code queueTargetMicros} of work at its
 * measured task duration (at least one, at most {@code maxQueuedPerThread} per thread beyond its
 * threads). The candidates come from the holders of the task's inputs and from the
 * {@link WorkerIndex} of free workers, so a choice costs O(inputs x holders + log workers), not a
 * scan of every worker.
 *
 * <p>Root queuing ({@link TablePolicy#rootQueuing}): root tasks whose results feed other tasks wait
 * in their own queue and go out only to a worker with fewer than {@link TablePolicy#rootSlots} tasks
 * processing, as in Dask, so that a wide graph of loads followed by reductions does not load
 * everything at once. Roots nothing reads (results the client wants, kept anyway) are not held back:
 * holding them would save no memory and cost throughput on tiny tasks. Other tasks are never held back.
 *
 * <p>Reads the records, changes none: the table makes the move.
 */
final class Placement {
  private final TablePolicy policy;
  final WorkerIndex index;

  Placement(TablePolicy policy) {
    this.policy = policy;
    this.index = new WorkerIndex(this::capacity);
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

  /** Whether this task waits in the root queue (root queuing on, no inputs, and some task reads it). */
  boolean heldBack(TaskRecord t) {
    return policy.rootQueuing() && t.deps.length == 0 && t.dependents.length > 0;
  }

  /** The free worker holding most of the task's input bytes, else the least loaded free one; null if none is free. */
  WorkerRecord chooseWorker(TaskRecord t) {
    if (t.deps.length == 0) {
      return index.leastLoaded();
    }
    // input bytes per free holder, in one pass over the inputs' holders
    Map<WorkerRecord, long[]> bytesOn = new HashMap<>();
    for (TaskRecord d : t.deps) {
      for (WorkerRecord h : d.holders) {
        if (index.contains(h)) {
          bytesOn.computeIfAbsent(h, x -> new long[1])[0] += Math.max(1, d.nbytes);
        }
      }
    }
    WorkerRecord best = null;
    long bestBytes = 0;
    for (Map.Entry<WorkerRecord, long[]> e : bytesOn.entrySet()) {
      long bytes = e.getValue()[0];
      if (bytes > bestBytes || (bytes == bestBytes && WorkerIndex.lessLoaded(e.getKey(), best))) {
        best = e.getKey();
        bestBytes = bytes;
      }
    }
    return best != null ? best : index.leastLoaded();
  }

  /**
   * How many tasks a worker may have processing and still be given a held-back root:
   * {@code ceil(nthreads x saturation)}; but a worker whose tasks are known to be shorter than the
   * queue target ({@code worker-queue-target}, 20 ms) is filled to its capacity, as without queuing.
   * With Dask's rule alone a worker of tiny tasks idles for a round trip after every one or two:
   * bench/throughput's tree sum of 5,000 leaves cost the scheduler 287-396 µs of CPU per task instead
   * of 60-76 µs, at a third of the rate, on a loaded machine (docs/scheduler-scale.md). Tasks
   * that short make little data in the time their queue covers, so holding them saves little memory.
   */
  int rootSlots(WorkerRecord w) {
    if (w.avgTaskMicros > 0 && w.avgTaskMicros < policy.queueTargetMicros()) {
      return capacity(w);
    }
    return policy.rootSlots(w.nthreads);
  }

  /**
   * The least loaded free worker if it has a root slot, else null. With workers whose tasks take
   * alike (or the saturation rule alone) the least loaded per thread has a root slot if any does:
   * {@code p >= ceil(n s)} means {@code p / n >= s}; a more loaded worker of shorter tasks may have
   * one it does not, and gets a root at its next turn.
   */
  WorkerRecord chooseRootWorker() {
    WorkerRecord w = index.leastLoaded();
    return w != null && w.processing.size() < rootSlots(w) ? w : null;
  }

  /**
   * Hands the ready tasks, front first, to the workers chosen for them until the queue is empty or
   * every worker is full, then the held-back root tasks while some worker has a root slot; skips
   * entries whose task is no longer queued.
   */
  void fillSlots(ArrayDeque<TaskRecord> ready, ArrayDeque<TaskRecord> roots, BiConsumer<TaskRecord, WorkerRecord> assign) {
    while (!ready.isEmpty()) {
      TaskRecord t = ready.peekFirst();
      if (t.state != QUEUED) {
        ready.pollFirst();
        continue;
      }
      WorkerRecord w = chooseWorker(t);
      if (w == null) {
        return;
      }
      ready.pollFirst();
      assign.accept(t, w);
    }
    while (!roots.isEmpty()) {
      TaskRecord t = roots.peekFirst();
      if (t.state != QUEUED) {
        roots.pollFirst();
        continue;
      }
      WorkerRecord w = chooseRootWorker();
      if (w == null) {
        return;
      }
      roots.pollFirst();
      assign.accept(t, w);
    }
  }
}
