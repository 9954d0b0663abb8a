package org.tasklane.scheduler;

import java.util.Comparator;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * The workers that may take a task now (registered, not retiring, not paused, with a free slot),
 * sorted by load (tasks processing per thread, then the earliest joined), so that the least loaded
 * one is found in O(1) and kept in step in O(log workers) per change, instead of a scan of every
 * worker for every task. {@link TaskMoves} calls {@link #refresh} wherever a worker's processing
 * changes; the table does on join, leave, retirement and pause. Also keeps the registered workers'
 * threads summed (for the metrics).
 */
final class WorkerIndex {
  /** By load: processing / nthreads compared by cross-multiplication (exact), then join order. */
  private static final Comparator<WorkerRecord> BY_LOAD = (a, b) -> {
    int c = Long.compare((long) a.indexedProcessing * b.nthreads, (long) b.indexedProcessing * a.nthreads);
    return c != 0 ? c : Long.compare(a.joinOrder, b.joinOrder);
  };

  private final ToIntFunction<WorkerRecord> capacity;
  private final TreeSet<WorkerRecord> free = new TreeSet<>(BY_LOAD);
  private long threads;
  private long nextJoinOrder;

  WorkerIndex(ToIntFunction<WorkerRecord> capacity) {
    this.capacity = capacity;
  }

  void joined(WorkerRecord w) {
    w.joinOrder = nextJoinOrder++;
    threads += w.nthreads;
    refresh(w);
  }

  void left(WorkerRecord w) {
    w.left = true;
    threads -= w.nthreads;
    refresh(w);
  }

  /** Puts the worker where its state says: in the index at its load if it may take a task, else out. */
  void refresh(WorkerRecord w) {
    if (w.indexedProcessing >= 0) {
      free.remove(w);
      w.indexedProcessing = -1;
    }
    if (takesTasks(w)) {
      w.indexedProcessing = w.processing.size();
      free.add(w);
    }
  }

  /** Whether the worker may be given a task now. */
  boolean takesTasks(WorkerRecord w) {
    return !w.left && w.retirement == null && !w.paused && w.processing.size() < capacity.applyAsInt(w);
  }

  /** The least loaded worker that may take a task, or null if none may. */
  WorkerRecord leastLoaded() {
    return free.isEmpty() ? null : free.first();
  }

  boolean contains(WorkerRecord w) {
    return w.indexedProcessing >= 0;
  }

  /** Whether {@code a} is less loaded than {@code b} (per thread; ties: the earlier joined). */
  static boolean lessLoaded(WorkerRecord a, WorkerRecord b) {
    long c = (long) a.processing.size() * b.nthreads - (long) b.processing.size() * a.nthreads;
    return c < 0 || (c == 0 && a.joinOrder < b.joinOrder);
  }

  int size() {
    return free.size();
  }

  /** The threads of the registered workers, summed. */
  long threads() {
    return threads;
  }
}
