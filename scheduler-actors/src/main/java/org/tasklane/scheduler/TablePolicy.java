package org.tasklane.scheduler;

/**
 * Tunables of the task table's assignment policy.
 *
 * @param queueTargetMicros a worker is fed its threads' worth of tasks plus enough to keep it busy
 *     this long at its measured task duration ({@code tasklane.scheduler.worker-queue-target})
 * @param maxQueuedPerThread at most this many tasks per thread beyond its threads
 *     ({@code tasklane.scheduler.max-queued-per-thread})
 * @param allowedFailures how many workers may die while a task is assigned to them before the task
 *     errs instead of being given to another ({@code tasklane.scheduler.allowed-failures}, as Dask's)
 */
public record TablePolicy(long queueTargetMicros, int maxQueuedPerThread, int allowedFailures) {
  public static final int DEFAULT_ALLOWED_FAILURES = 3;
  public static final TablePolicy DEFAULT = new TablePolicy(20_000, 256, DEFAULT_ALLOWED_FAILURES);

  public TablePolicy {
    if (allowedFailures < 1) {
      throw new IllegalArgumentException(
          "tasklane.scheduler.allowed-failures must be at least 1, got " + allowedFailures);
    }
  }

  /** With the default {@link #allowedFailures}. */
  public TablePolicy(long queueTargetMicros, int maxQueuedPerThread) {
    this(queueTargetMicros, maxQueuedPerThread, DEFAULT_ALLOWED_FAILURES);
  }
}
