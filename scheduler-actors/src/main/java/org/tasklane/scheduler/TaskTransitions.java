package org.tasklane.scheduler;

import static org.tasklane.protocol.TaskState.*;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.tasklane.protocol.TaskState;

/**
 * The one table of legal task-state transitions on the scheduler (see {@link TaskState} for the
 * diagram). {@link TaskTable} goes through {@link #check} for every change of state.
 */
public final class TaskTransitions {
  private TaskTransitions() {}

  /** From each state, the states a task may move to. */
  public static final Map<TaskState, Set<TaskState>> LEGAL;

  static {
    EnumMap<TaskState, Set<TaskState>> m = new EnumMap<>(TaskState.class);
    // new or dropped: becomes wanted, or its graph goes
    m.put(RELEASED, EnumSet.of(WAITING, FORGOTTEN));
    // inputs arrived, a dependency failed, or the graph is cancelled
    m.put(WAITING, EnumSet.of(QUEUED, ERRED, RELEASED));
    // a worker took it, an input was lost again, or the graph is cancelled
    m.put(QUEUED, EnumSet.of(PROCESSING, WAITING, RELEASED));
    // done; threw with no retries left (or a dependency failed on recompute, or workers died under it
    // allowed-failures times); a retry (threw or timed out with attempts left), worker lost or inputs
    // missing: back to waiting, and queued again from there; cancelled
    m.put(PROCESSING, EnumSet.of(MEMORY, ERRED, WAITING, RELEASED));
    // nobody needs it any more, or its only holder died while it is still needed
    m.put(MEMORY, EnumSet.of(RELEASED, WAITING));
    m.put(ERRED, EnumSet.of(FORGOTTEN));
    m.put(FORGOTTEN, EnumSet.noneOf(TaskState.class));
    for (Map.Entry<TaskState, Set<TaskState>> e : m.entrySet()) {
      e.setValue(Collections.unmodifiableSet(e.getValue()));
    }
    LEGAL = Collections.unmodifiableMap(m);
  }

  public static boolean isLegal(TaskState from, TaskState to) {
    return LEGAL.get(from).contains(to);
  }

  /** Throws {@link IllegalStateException} naming the task unless {@code from -> to} is legal. */
  public static void check(String key, TaskState from, TaskState to) {
    if (!isLegal(from, to)) {
      throw new IllegalStateException(
          "illegal transition of task '" + key + "': " + from.jsonName() + " -> " + to.jsonName()
              + " (legal from " + from.jsonName() + ": " + LEGAL.get(from) + ")");
    }
  }
}
