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

  PendingTask(long seq, TaskAssignment assignment) {
    this.seq = seq;
    this.assignment = assignment;
  }

  long taskId() {
    return assignment.taskId();
  }

  @Override
  public String toString() {
    return "PendingTask(" + assignment.taskId() + " " + assignment.key() + ")";
  }
}
