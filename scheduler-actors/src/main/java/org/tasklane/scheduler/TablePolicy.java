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
 * @param rootQueuing root tasks whose results feed other tasks wait on the scheduler until a worker
 *     has fewer than {@code ceil(nthreads x workerSaturation)} tasks processing
 *     ({@code tasklane.scheduler.root-queuing}, Dask's queuing)
 * @param workerSaturation how many root tasks per thread a worker gets while queuing is on
 *     ({@code tasklane.scheduler.worker-saturation}, as Dask's {@code worker-saturation})
 */
public record TablePolicy(long queueTargetMicros, int maxQueuedPerThread, int allowedFailures, boolean rootQueuing,
    double workerSaturation) {
  public static final int DEFAULT_ALLOWED_FAILURES = 3;
  public static final double DEFAULT_WORKER_SATURATION = 1.1;
  public static final TablePolicy DEFAULT =
      new TablePolicy(20_000, 256, DEFAULT_ALLOWED_FAILURES, true, DEFAULT_WORKER_SATURATION);

  public TablePolicy {
    if (allowedFailures < 1) {
      throw new IllegalArgumentException(
          "tasklane.scheduler.allowed-failures must be at least 1, got " + allowedFailures);
    }
    if (!(workerSaturation > 0) || workerSaturation > 1000) {
      throw new IllegalArgumentException(
          "tasklane.scheduler.worker-saturation must be above 0 and at most 1000, got " + workerSaturation);
    }
  }

  /** With root queuing on at the default saturation. */
  public TablePolicy(long queueTargetMicros, int maxQueuedPerThread, int allowedFailures) {
    this(queueTargetMicros, maxQueuedPerThread, allowedFailures, true, DEFAULT_WORKER_SATURATION);
  }

  /** With the default {@link #allowedFailures} and root queuing. */
  public TablePolicy(long queueTargetMicros, int maxQueuedPerThread) {
    this(queueTargetMicros, maxQueuedPerThread, DEFAULT_ALLOWED_FAILURES);
  }

  /** The same policy with root queuing on or off. */
  public TablePolicy withRootQueuing(boolean on) {
    return new TablePolicy(queueTargetMicros, maxQueuedPerThread, allowedFailures, on, workerSaturation);
  }

  /** How many tasks a worker may have processing and still be given a root task while queuing is on. */
  int rootSlots(int nthreads) {
    return Math.max(1, (int) Math.ceil(nthreads * workerSaturation));
  }
}
