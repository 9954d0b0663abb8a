package org.tasklane.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.Transfer;

/**
 * A task assigned to this worker and not yet reported: gathering its inputs, waiting for a thread,
 * or running. Owned by the worker actor; handed to an executor thread only to run, after which the
 * actor reads it again only once the thread has reported back.
 */
final class PendingTask {
  /** Assignment order on this worker: ready tasks run lowest first. */
  final long seq;
  final TaskAssignment assignment;
  /** Input task id to its value, filled from the store or by fetches. */
  final Map<Long, JsonNode> values = new HashMap<>(4);
  /** The inputs this task fetched from peers. */
  final List<Transfer> transfers = new ArrayList<>(0);
  /** Input ids still being fetched. */
  final Set<Long> waitingFor = new HashSet<>(4);
  /** Input ids no holder had. */
  final List<Long> missing = new ArrayList<>(0);
  /** Input ids held here on disk only: read back on the task's thread, just before it runs. */
  final List<Long> spilled = new ArrayList<>(0);
  /** Where {@link #spilled} inputs are read from; null if there are none. */
  ResultStore spillSource;

  PendingTask(long seq, TaskAssignment assignment) {
    this.seq = seq;
    this.assignment = assignment;
  }

  /**
   * Reads the spilled inputs back into {@link #values} (on the thread that runs the task, never the actor's).
   *
   * @throws IllegalStateException if one is no longer held, or its file cannot be read
   */
  void readSpilled() {
    for (long id : spilled) {
      ResultStore.Stored stored;
      try {
        stored = spillSource.get(id);
      } catch (java.io.UncheckedIOException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      if (stored == null) {
        throw new IllegalStateException("input " + id + " was released before the task could read it back from disk");
      }
      values.put(id, stored.value());
    }
  }

  long taskId() {
    return assignment.taskId();
  }

  @Override
  public String toString() {
    return "PendingTask(" + assignment.taskId() + " " + assignment.key() + ")";
  }
}
