package org.tasklane.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.tasklane.protocol.TaskState;

/** The scheduler's record of one task. Mutated only by {@link TaskTable}. */
public final class TaskRecord {
  final long id;
  final GraphRecord graph;
  final String key;
  final String fn;
  final List<JsonNode> args;
  final GroupStats group;
  /** Distinct tasks whose results this one needs. */
  TaskRecord[] deps = new TaskRecord[0];
  final List<TaskRecord> dependents = new ArrayList<>(0);

  TaskState state = TaskState.RELEASED;
  /** Has it been computed (and not lost since)? A released task that completed is light blue. */
  boolean completed;
  /** The client will read its result: keep it until the graph is forgotten. */
  boolean wanted;
  /** Inputs not in memory, while waiting. */
  int waitingOn;
  /** Dependents that are waiting, queued or processing: they still need this result. */
  int pendingDependents;
  /** The worker it is assigned to, while processing. */
  WorkerRecord processingOn;
  /** The workers that hold its result, while in memory. */
  final List<WorkerRecord> holders = new ArrayList<>(1);
  long nbytes;
  String error;
  /** True if this task's own function failed; false if it erred because a dependency did. */
  boolean rootFailure;
  /** How many times a worker reported it done (ok or erred); more than once means it was computed again. */
  int runs;

  TaskRecord(long id, GraphRecord graph, String key, String fn, List<JsonNode> args, GroupStats group) {
    this.id = id;
    this.graph = graph;
    this.key = key;
    this.fn = fn;
    this.args = args;
    this.group = group;
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

  public List<JsonNode> args() {
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

  @Override
  public String toString() {
    return key + "[" + state.jsonName() + "]";
  }
}
