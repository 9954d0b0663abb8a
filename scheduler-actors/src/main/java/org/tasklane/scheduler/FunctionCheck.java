package org.tasklane.scheduler;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/** Whether the registered workers know every function a graph calls ({@link TaskTable#checkFunctions}). */
public sealed interface FunctionCheck {

  /** Every function is known to some worker, or no worker is registered yet (one may bring them). */
  record Known() implements FunctionCheck {}

  /** A function no registered worker knows; {@code message} names it, its task and what the workers know. */
  record Unknown(String message) implements FunctionCheck {}

  FunctionCheck KNOWN = new Known();

  /** The first function of the graph that none of these workers knows, if any; {@code java:} calls are every worker's. */
  static FunctionCheck of(GraphSpec spec, Collection<WorkerRecord> workers) {
    if (workers.isEmpty()) {
      return KNOWN;
    }
    Set<String> known = new TreeSet<>();
    for (WorkerRecord w : workers) {
      known.addAll(w.functions);
    }
    for (TaskSpec t : spec.tasks()) {
      if (!known.contains(t.fn()) && !t.fn().startsWith("java:")) {
        return new Unknown("unknown function '" + t.fn() + "' in task '" + t.key() + "'; the workers know: "
            + String.join(", ", known));
      }
    }
    return KNOWN;
  }
}
