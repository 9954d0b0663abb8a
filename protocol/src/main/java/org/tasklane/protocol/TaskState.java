package org.tasklane.protocol;

/**
 * The state of one task on the scheduler. The legal transitions live in one table, in the
 * scheduler's {@code TaskTransitions}; this enum only names the states.
 *
 * <pre>
 *                      +--------------- (a dependency was lost) ---------------+
 *                      v                                                        |
 *   released ---> waiting ---> queued ---> processing ---> memory ---> released ---> forgotten
 *      ^  (new)      |  ^         |            |  |           |   (no dependent or
 *      |             |  +---------+------------+  |           |    client needs it)
 *      |             |  (input lost, worker died, |           +---> waiting (lost, still needed)
 *      |             |   or a retry: it threw or  |
 *      |             |   timed out, attempts left)|
 *      |             v                            v
 *      |           erred <------------------------+  (threw on its last attempt, a dependency
 *      |             |                                failed, or workers died under it too often)
 *      +-- cancel    +---> forgotten
 * </pre>
 *
 * <ul>
 *   <li>{@link #RELEASED}: not wanted right now: new, cancelled, or computed and then dropped.</li>
 *   <li>{@link #WAITING}: wanted, but some input is not in memory yet.</li>
 *   <li>{@link #QUEUED}: ready (every input in memory), waiting on the scheduler for a worker slot.</li>
 *   <li>{@link #PROCESSING}: assigned to a worker, queued or running there.</li>
 *   <li>{@link #MEMORY}: computed; its result is held by one or more workers.</li>
 *   <li>{@link #ERRED}: it threw (or timed out) on its last allowed attempt, one of its dependencies
 *       erred, or workers died while running it {@code allowed-failures} times.</li>
 *   <li>{@link #FORGOTTEN}: its graph is gone; the scheduler no longer tracks it.</li>
 * </ul>
 */
public enum TaskState {
  RELEASED,
  WAITING,
  QUEUED,
  PROCESSING,
  MEMORY,
  ERRED,
  FORGOTTEN;

  /** No computation happens from here: the task failed, or it is forgotten. */
  public boolean isTerminal() {
    return this == ERRED || this == FORGOTTEN;
  }

  /** Wanted and not yet computed: its inputs must be kept until it completes. */
  public boolean isPending() {
    return this == WAITING || this == QUEUED || this == PROCESSING;
  }

  /** The lower-case name used in JSON and on the dashboard. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
