package org.tasklane.worker.memory;

/**
 * The memory policy, as Dask's worker memory manager has it, as a pure class: what to spill, and
 * whether to run, pause or restart, for given figures. Fractions are of {@code limit}; 0 is off.
 *
 * <ul>
 *   <li>Managed memory (the results held in memory) above {@code target}: spill the least recently
 *       used results until it is at the target.
 *   <li>Process memory (managed plus unmanaged, the rest of the heap) above {@code spill}: spill
 *       more, until process memory is at the target (or at {@code spill} if the target is off).
 *   <li>Process memory above {@code pause}: take no new tasks; resume once it is at or below it.
 *   <li>Process memory above {@code terminate}: restart, so results are computed again rather than
 *       the JVM running out of heap mid-write.
 * </ul>
 */
public record MemoryThresholds(long limit, double target, double spill, double pause, double terminate) {

  /** What the worker does at a level of process memory, mildest first. */
  public enum Level {
    RUNNING, PAUSED, TERMINATE
  }

  public MemoryThresholds {
    if (limit <= 0) {
      throw new IllegalArgumentException("the memory limit must be positive, got " + limit);
    }
  }

  /** The bytes of results to spill now (0 for none), at most {@code managed}. */
  public long bytesToSpill(long managed, long process) {
    long want = 0;
    if (target > 0 && managed > bytes(target)) {
      want = managed - bytes(target);
    }
    if (spill > 0 && process > bytes(spill)) {
      want = Math.max(want, process - bytes(target > 0 ? target : spill));
    }
    return Math.min(Math.max(want, 0), managed);
  }

  /** Whether the worker runs, pauses or restarts at this process memory. */
  public Level level(long process) {
    if (terminate > 0 && process > bytes(terminate)) {
      return Level.TERMINATE;
    }
    if (pause > 0 && process > bytes(pause)) {
      return Level.PAUSED;
    }
    return Level.RUNNING;
  }

  /** This fraction of the limit, in bytes. */
  public long bytes(double fraction) {
    return (long) (fraction * limit);
  }
}
