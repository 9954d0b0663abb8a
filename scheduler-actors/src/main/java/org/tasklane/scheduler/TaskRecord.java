package org.tasklane.scheduler;

import java.util.List;
import org.tasklane.protocol.TaskArgs;
import org.tasklane.protocol.TaskState;

/** The scheduler's record of one task. Mutated only by {@link TaskTable}. */
public final class TaskRecord {
  /** The {@link #deps} of a task without inputs, and the {@link #dependents} of one without dependents. */
  static final TaskRecord[] NO_TASKS = new TaskRecord[0];

  final long id;
  final GraphRecord graph;
  final String key;
  final String fn;
  /** Kept as text until a worker runs the task (see TaskArgs). */
  final TaskArgs args;
  final GroupStats group;
  /** Distinct tasks whose results this one needs (never changed in place: replaced whole). */
  TaskRecord[] deps = NO_TASKS;
  /** The tasks that take this one's result, each once (set when its graph is submitted). */
  TaskRecord[] dependents = NO_TASKS;

  TaskState state = TaskState.RELEASED;
  /** Has it been computed (and not lost since)? A released task that completed is light blue. */
  boolean completed;
  /** The client will read its result: keep it until the graph is forgotten. */
  boolean wanted;
  /** True once this wanted task has been listed in its graph's {@link GraphRecord#finishedWanted}. */
  boolean listedFinished;
  /** Inputs not in memory, while waiting. */
  int waitingOn;
  /** Dependents that are waiting, queued or processing: they still need this result. */
  int pendingDependents;
  /** The worker it is assigned to, while processing. */
  WorkerRecord processingOn;
  /**
   * The workers that hold its result, while in memory. An immutable list, replaced whole by
   * {@link TaskMoves} (most tasks have none or one holder: a shared empty list, or a list of one).
   */
  List<WorkerRecord> holders = List.of();
  long nbytes;
  String error;
  /** True if this task's own function failed; false if it erred because a dependency did. */
  boolean rootFailure;
  /** How many times a worker reported it done (ok or erred); more than once means it was computed again. */
  int runs;
  /** How many times it may be run again after its function threw or timed out (its spec's {@code retries}). */
  final int retries;
  /** How long one attempt may run on a worker, milliseconds; 0 for no limit. */
  final long timeoutMillis;
  /** Attempts whose function threw or timed out, so far. */
  int failedAttempts;
  /** Workers that died (left without retiring) while it was assigned to them. */
  int deaths;

  TaskRecord(long id, GraphRecord graph, String key, String fn, TaskArgs args, GroupStats group, int retries,
      long timeoutMillis) {
    this.id = id;
    this.graph = graph;
    this.key = key;
    this.fn = fn;
    this.args = args;
    this.group = group;
    this.retries = Math.max(0, retries);
    this.timeoutMillis = Math.max(0, timeoutMillis);
  }

  public long id() {
    return id;
  }

  public String key() {
    return key;
  }

  public String fn() {
    return fn;
  }

  public TaskArgs args() {
    return args;
  }

  public String groupName() {
    return group.name;
  }

  public TaskState state() {
    return state;
  }

  public List<TaskRecord> deps() {
    return List.of(deps);
  }

  public List<WorkerRecord> holders() {
    return holders;
  }

  public long nbytes() {
    return nbytes;
  }

  public String error() {
    return error;
  }

  public String graphId() {
    return graph.id;
  }

  /** How many times a worker reported it done (ok or erred). */
  public int runs() {
    return runs;
  }

  /** Attempts whose function threw or timed out, so far. */
  public int failedAttempts() {
    return failedAttempts;
  }

  /** Workers that died while it was assigned to them. */
  public int deaths() {
    return deaths;
  }

  /** How long one attempt may run on a worker, milliseconds; 0 for no limit. */
  public long timeoutMillis() {
    return timeoutMillis;
  }

  @Override
  public String toString() {
    return key + "[" + state.jsonName() + "]";
  }
}
