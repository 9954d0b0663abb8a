package org.tasklane.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.TaskState;
import org.tasklane.protocol.api.GroupProgress;

/**
 * The dashboard's view of the table's groups and graphs: the counts of each group (per graph and
 * over every live graph, in {@link GroupStats}) and which graphs changed since the dashboard feed
 * last published. The {@link TaskTable} tells it of every graph added, task moved and graph
 * forgotten; it decides nothing about tasks.
 */
final class GroupBoard {
  /** Counts per group name over every live graph, in the order the groups first appeared. */
  private final Map<String, GroupStats> clusterGroups = new LinkedHashMap<>();
  /** Groups no live graph has any more, since {@link #drainGroupChanges} was last called. */
  private final List<String> removedGroups = new ArrayList<>();
  /**
   * Graphs that changed since {@link #drainGraphChanges} was last called, each once (its
   * {@code dirty} flag), in the order they first changed: the live ones and those forgotten since.
   */
  private final List<GraphRecord> dirtyGraphs = new ArrayList<>();

  /** What {@link #drainGroupChanges} returns. */
  record Changes(List<GroupProgress> changed, List<String> removed) {
    boolean isEmpty() {
      return changed.isEmpty() && removed.isEmpty();
    }
  }

  /** The counts of a new graph's group {@code name}, adding to the cluster-wide ones. */
  GroupStats graphGroup(String name) {
    return new GroupStats(name, clusterGroups.computeIfAbsent(name, GroupStats::new));
  }

  /** A task of a live graph moved; {@code t.state} and {@code t.completed} are already the new ones. */
  void taskMoved(TaskRecord t, TaskState from, boolean wasCompleted) {
    markDirty(t.graph);
    t.group.move(from, wasCompleted, t.state, t.completed);
  }

  /**
   * The graph is being forgotten, its tasks still as they were: its last event is made now (if the
   * dashboard has not seen it finish), and its groups leave the cluster-wide counts.
   */
  void graphForgotten(GraphRecord g, long nowMillis) {
    if (!g.published || g.dirty || !g.isFinished()) {
      boolean done = g.isFinished();
      g.lastEvent = g.drainEvent(done ? "done" : "cancelled", done ? g.finishedMillis : nowMillis);
      markDirty(g);
    }
  }

  /** The forgotten graph's tasks have left their buckets: its groups leave the totals. */
  void graphGone(GraphRecord g) {
    for (GroupStats gs : g.groups.values()) {
      gs.forget();
      if (gs.parent.total == 0) {
        clusterGroups.remove(gs.name);
        removedGroups.add(gs.name);
      }
    }
  }

  void markDirty(GraphRecord g) {
    if (!g.dirty && !g.forgetting) {
      g.dirty = true;
      dirtyGraphs.add(g);
    }
  }

  /** The cluster-wide counts of every group of the live graphs, in the order they first appeared. */
  List<GroupProgress> groupProgress() {
    List<GroupProgress> out = new ArrayList<>(clusterGroups.size());
    for (GroupStats g : clusterGroups.values()) {
      out.add(g.toProgress());
    }
    return out;
  }

  Collection<GroupStats> clusterGroups() {
    return clusterGroups.values();
  }

  /** The groups whose counts changed and the groups removed since the last call. */
  Changes drainGroupChanges() {
    List<GroupProgress> changed = new ArrayList<>();
    for (GroupStats g : clusterGroups.values()) {
      if (g.dirty) {
        g.dirty = false;
        changed.add(g.toProgress());
      }
    }
    List<String> removed = new ArrayList<>();
    for (String name : new LinkedHashSet<>(removedGroups)) {
      if (!clusterGroups.containsKey(name)) { // a group can go and come back within one batch
        removed.add(name);
      }
    }
    removedGroups.clear();
    return new Changes(changed, removed);
  }

  /**
   * One event per graph that changed since the last call (see {@link GraphRecord#drainEvent}):
   * accepted (with every group), its groups' counts changed (with those), finished, or forgotten
   * with changes unpublished or while still running ({@code cancelled}). A graph accepted and
   * finished since the last call is one event with every group and state {@code done}. A finished
   * graph forgotten with nothing unpublished gets none.
   */
  List<DashboardProtocol.GraphEvent> drainGraphChanges() {
    List<DashboardProtocol.GraphEvent> out = new ArrayList<>(dirtyGraphs.size());
    for (GraphRecord g : dirtyGraphs) {
      g.dirty = false;
      if (!g.forgetting) {
        out.add(g.drainEvent(g.stateName(), g.finishedMillis));
      } else if (g.lastEvent != null) {
        out.add(g.lastEvent);
        g.lastEvent = null;
      }
    }
    dirtyGraphs.clear();
    return out;
  }

  /** Every graph held, each with every group (for a dashboard's snapshot). */
  static List<DashboardProtocol.GraphEvent> graphEvents(Collection<GraphRecord> graphs) {
    List<DashboardProtocol.GraphEvent> out = new ArrayList<>(graphs.size());
    for (GraphRecord g : graphs) {
      out.add(g.toEvent());
    }
    return out;
  }
}
