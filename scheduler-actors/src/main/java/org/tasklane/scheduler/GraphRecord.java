package org.tasklane.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.TaskState;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GraphSummary;
import org.tasklane.protocol.api.GroupProgress;

/** The scheduler's record of one submitted graph. Mutated only by {@link TaskTable}. */
public final class GraphRecord {
  static final int MAX_ERRORS_SHOWN = 20;

  final String id;
  final String name;
  final long submittedMillis;
  /** Its tasks, in the order submitted; set once, when it is submitted. */
  TaskRecord[] tasks;
  /** The id of its first task: its tasks' ids are consecutive ({@link TaskIndex}). */
  long firstTaskId;
  /** Its tasks by key (set when it is submitted). */
  KeyIndex byKey = KeyIndex.EMPTY;
  final Map<String, GroupStats> groups = new LinkedHashMap<>();
  final int[] stateCounts = new int[TaskState.values().length];
  /** Tasks neither completed nor erred. */
  int remaining;
  int erredCount;
  long finishedMillis;
  long transfers;
  long transferBytes;
  /** Tasks computed again after they had completed once (their only copy was lost). */
  int recomputed;
  /** Results copied off retiring workers to others (instead of being computed again). */
  int handedOff;
  boolean forgetting;
  /** Erred tasks, root failures first, at most {@link #MAX_ERRORS_SHOWN}. */
  final List<TaskRecord> rootErrors = new ArrayList<>();
  final List<TaskRecord> dependentErrors = new ArrayList<>();
  /**
   * The wanted tasks in the order they first finished (completed or erred), each once: what a
   * client taking results as they complete reads ({@code GET /api/v1/graphs/ID/finished}).
   */
  final List<TaskRecord> finishedWanted = new ArrayList<>();
  /** How many of its tasks are wanted (set when it is submitted). */
  int wantedCount;
  /** In the table's list of graphs whose changes the dashboard feed has not published yet. */
  boolean dirty;
  /** Its first {@link DashboardProtocol.GraphEvent} (the one with every group) has been made. */
  boolean published;
  /** Its last event, made when it was forgotten with changes unpublished (or cancelled); null otherwise. */
  DashboardProtocol.GraphEvent lastEvent;
  /** The dependencies between its groups (set when it is submitted), sent with its first event and in snapshots. */
  GroupEdges.Result groupEdges = GroupEdges.Result.NONE;

  GraphRecord(String id, String name, long submittedMillis) {
    this.id = id;
    this.name = name;
    this.submittedMillis = submittedMillis;
  }

  public String id() {
    return id;
  }

  boolean holdsTaskId(long taskId) {
    return taskId >= firstTaskId && taskId - firstTaskId < tasks.length;
  }

  public boolean isFinished() {
    return remaining == 0;
  }

  int wantedCount() {
    return wantedCount;
  }

  String stateName() {
    if (forgetting) {
      return "cancelled";
    }
    return remaining == 0 ? "done" : "running";
  }

  void noteError(TaskRecord t) {
    List<TaskRecord> list = t.rootFailure ? rootErrors : dependentErrors;
    if (list.size() < MAX_ERRORS_SHOWN) {
      list.add(t);
    }
  }

  GraphStatus toStatus() {
    Map<String, Integer> states = new LinkedHashMap<>();
    for (TaskState s : TaskState.values()) {
      if (s != TaskState.FORGOTTEN) {
        states.put(s.jsonName(), stateCounts[s.ordinal()]);
      }
    }
    List<GroupProgress> gs = new ArrayList<>(groups.size());
    for (GroupStats g : groups.values()) {
      gs.add(g.toProgress());
    }
    Map<String, String> errors = new LinkedHashMap<>();
    for (TaskRecord t : rootErrors) {
      errors.put(t.key, t.error);
    }
    for (TaskRecord t : dependentErrors) {
      if (errors.size() >= MAX_ERRORS_SHOWN) {
        break;
      }
      errors.put(t.key, t.error);
    }
    int n = tasks.length;
    return new GraphStatus(id, name, stateName(), n, n - remaining - erredCount, erredCount, states, gs,
        transfers, transferBytes, submittedMillis, finishedMillis, errors, recomputed, handedOff);
  }

  /** The graph now, with every group: what a dashboard's snapshot holds. Clears no marks. */
  DashboardProtocol.GraphEvent toEvent() {
    List<GroupProgress> gs = new ArrayList<>(groups.size());
    for (GroupStats g : groups.values()) {
      gs.add(g.toProgress());
    }
    return new DashboardProtocol.GraphEvent(id, name, stateName(), submittedMillis, finishedMillis, tasks.length,
        erredCount, gs, groupEdges.edges(), groupEdges.truncated());
  }

  /**
   * What changed since its last event, for the dashboard feed: every group the first time, after
   * that the groups whose counts changed; the group edges the first time only; clears their marks.
   *
   * @param state what to call its state ({@code running}, {@code done}, {@code cancelled})
   * @param endMillis when it finished or was cancelled, 0 while running
   */
  DashboardProtocol.GraphEvent drainEvent(String state, long endMillis) {
    List<GroupProgress> gs = new ArrayList<>(published ? 4 : groups.size());
    for (GroupStats g : groups.values()) {
      if (g.dirty || !published) {
        gs.add(g.toProgress());
      }
      g.dirty = false;
    }
    boolean first = !published;
    published = true;
    return first
        ? new DashboardProtocol.GraphEvent(id, name, state, submittedMillis, endMillis, tasks.length, erredCount, gs,
            groupEdges.edges(), groupEdges.truncated())
        : new DashboardProtocol.GraphEvent(id, name, state, submittedMillis, endMillis, tasks.length, erredCount, gs);
  }

  GraphSummary toSummary() {
    int n = tasks.length;
    return new GraphSummary(id, name, stateName(), n, n - remaining - erredCount, erredCount, submittedMillis);
  }
}
