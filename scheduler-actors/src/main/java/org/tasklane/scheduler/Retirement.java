package org.tasklane.scheduler;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One worker's graceful retirement, as the {@link TaskTable} tracks it (no actors, no clock). While
 * a worker retires it gets no new tasks, finishes the ones it has, and each result that only it
 * holds and that something still needs is copied to another worker ({@link Instruction.Replicate});
 * when a copy is confirmed the retiring worker stops counting as a holder of it. The retirement is
 * finished ({@link Instruction.Retired}) when the worker runs nothing and no copy is outstanding,
 * when no other worker can take copies, or when the scheduler's timeout says so.
 */
final class Retirement {
  /** A copy of one result is tried on at most this many workers before it is left to be recomputed. */
  static final int MAX_ATTEMPTS = 3;

  final WorkerRecord worker;
  /** Results being copied now, to the worker asked to fetch each. */
  final Map<TaskRecord, WorkerRecord> pending = new LinkedHashMap<>();
  /** How many times a copy of each result was asked for. */
  final Map<TaskRecord, Integer> attempts = new HashMap<>();
  /** Results copied to another worker, and their bytes. */
  int handed;
  long handedBytes;
  /** The answer has been given: nothing more is copied for this worker. */
  boolean finished;
  /** When it asked to retire (System.nanoTime), for the answer's log line. */
  final long startedNanos;

  Retirement(WorkerRecord worker, long startedNanos) {
    this.worker = worker;
    this.startedNanos = startedNanos;
  }

  int attempts(TaskRecord t) {
    return attempts.getOrDefault(t, 0);
  }
}
