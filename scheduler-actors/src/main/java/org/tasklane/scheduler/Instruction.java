package org.tasklane.scheduler;

/** What the {@link TaskTable} decides; the {@link Scheduler} actor carries it out. */
public sealed interface Instruction {

  /** Send this task to this worker. */
  record Assign(String worker, TaskRecord task) implements Instruction {}

  /** This worker may drop this result from memory. */
  record Release(String worker, long taskId) implements Instruction {}

  /** Every task of this graph has completed or erred (clients waiting on it can be answered). */
  record GraphFinished(String graphId) implements Instruction {}
}
