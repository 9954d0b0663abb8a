package org.tasklane.scheduler;

/** What the {@link TaskTable} decides; the {@link Scheduler} actor carries it out. */
public sealed interface Instruction {

  /** Send this task to this worker. */
  record Assign(String worker, TaskRecord task) implements Instruction {}

  /** This worker may drop this result from memory. */
  record Release(String worker, long taskId) implements Instruction {}

  /** Every task of this graph has completed or erred (clients waiting on it can be answered). */
  record GraphFinished(String graphId) implements Instruction {}

  /**
   * This worker should fetch a copy of this result from its holders (a retiring worker) and say
   * when it has it.
   */
  record Replicate(String worker, TaskRecord task) implements Instruction {}

  /**
   * A retiring worker may leave now.
   *
   * @param handed results copied to other workers
   * @param handedBytes their size
   * @param left results only it still holds that something needs: computed again once it is gone
   * @param alone no other worker could take its results
   */
  record Retired(String worker, int handed, long handedBytes, int left, boolean alone) implements Instruction {}
}
