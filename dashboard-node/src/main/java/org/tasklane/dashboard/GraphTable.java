package org.tasklane.dashboard;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.api.GroupProgress;

/**
 * The graphs the dashboard holds for the {@code graph} page: per graph, its groups with their counts
 * and the dependencies between them (which only the graph's first {@code GraphEvent} and the
 * scheduler's snapshots carry), and what changed since the page was last told. Pure, not
 * thread-safe: the dashboard actor's.
 *
 * <p>Bounded: at most {@link #MAX_GRAPHS} graphs (past it the oldest finished one goes, else the
 * oldest), {@link #MAX_GROUPS} groups per graph (later groups are counted, not kept) and the
 * scheduler's {@link DashboardProtocol.GraphEvent#MAX_EDGES} edges per graph. A snapshot replaces
 * them all with the graphs the scheduler holds.
 */
public final class GraphTable {
  /** Graphs held; the scheduler keeps its last 100 finished ones (max-retained-graphs) and those running. */
  public static final int MAX_GRAPHS = 128;
  /** Groups held per graph. */
  public static final int MAX_GROUPS = 10_000;

  private static final class Held {
    final String id;
    String name;
    String state;
    long submitted;
    long finished;
    int tasks;
    int erred;
    final Map<String, DashboardView.Group> groups = new LinkedHashMap<>();
    int droppedGroups;
    List<DashboardView.GroupEdge> edges = List.of();
    boolean edgesTruncated;
    /** Groups changed since the page was last told. */
    final Set<String> changed = new LinkedHashSet<>();
    boolean dirty;

    Held(String id) {
      this.id = id;
    }
  }

  private final Map<String, Held> graphs = new LinkedHashMap<>();
  private final Map<String, Held> dirty = new LinkedHashMap<>();
  private final Set<String> removed = new LinkedHashSet<>();

  /** One graph's event from a scheduler batch: merged (its groups' counts are absolute). */
  public void apply(DashboardProtocol.GraphEvent e) {
    Held g = graphs.get(e.graphId());
    boolean fresh = g == null;
    if (fresh) {
      g = new Held(e.graphId());
    }
    g.name = e.name();
    g.state = e.state();
    g.submitted = e.submittedMillis();
    g.finished = e.finishedMillis();
    g.tasks = e.tasks();
    g.erred = e.erred();
    for (GroupProgress p : e.groups()) {
      DashboardView.Group v = DashboardView.Group.of(p);
      if (!g.groups.containsKey(v.name()) && g.groups.size() >= MAX_GROUPS) {
        g.droppedGroups++;
        continue;
      }
      if (!v.equals(g.groups.put(v.name(), v))) {
        g.changed.add(v.name());
      }
    }
    if (!e.edges().isEmpty() || e.edgesTruncated()) {
      int n = Math.min(e.edges().size(), DashboardProtocol.GraphEvent.MAX_EDGES);
      List<DashboardView.GroupEdge> edges = new ArrayList<>(n);
      for (DashboardProtocol.GroupEdge x : e.edges().subList(0, n)) {
        edges.add(new DashboardView.GroupEdge(x.from(), x.to()));
      }
      g.edges = List.copyOf(edges);
      g.edgesTruncated = e.edgesTruncated() || n < e.edges().size();
    }
    if (fresh) {
      graphs.put(g.id, g);
      removed.remove(g.id);
      evictPastBound(); // a finished graph can be its own victim when every other one runs
    }
    if (graphs.containsKey(g.id)) {
      g.dirty = true;
      dirty.put(g.id, g);
    }
  }

  /** The scheduler's snapshot: every graph it holds, each with all its groups and edges; the others go. */
  public void replace(List<DashboardProtocol.GraphEvent> all) {
    Set<String> ids = new LinkedHashSet<>();
    all.forEach(e -> ids.add(e.graphId()));
    for (Iterator<Held> it = graphs.values().iterator(); it.hasNext(); ) {
      Held g = it.next();
      if (!ids.contains(g.id)) {
        it.remove();
        dirty.remove(g.id);
        removed.add(g.id);
      }
    }
    for (DashboardProtocol.GraphEvent e : all) {
      Held g = graphs.get(e.graphId());
      if (g != null) {
        // every group again: one the graph no longer has would linger
        g.groups.keySet().retainAll(e.groups().stream().map(GroupProgress::name).toList());
        g.droppedGroups = 0;
      }
      apply(e);
    }
  }

  private void evictPastBound() {
    while (graphs.size() > MAX_GRAPHS) {
      Held victim = null;
      for (Held g : graphs.values()) {
        if (!"running".equals(g.state)) {
          victim = g;
          break;
        }
      }
      if (victim == null) {
        victim = graphs.values().iterator().next();
      }
      graphs.remove(victim.id);
      dirty.remove(victim.id);
      removed.add(victim.id);
    }
  }

  /** Every graph held, oldest first, without groups. */
  public List<DashboardView.GraphItem> list() {
    List<DashboardView.GraphItem> out = new ArrayList<>(graphs.size());
    for (Held g : graphs.values()) {
      out.add(item(g));
    }
    return out;
  }

  /** One graph with its groups and edges; null if it is not held. */
  public DashboardView.GraphDetail detail(String id, long seq) {
    Held g = graphs.get(id);
    if (g == null) {
      return null;
    }
    return new DashboardView.GraphDetail(seq, item(g), List.copyOf(g.groups.values()), g.droppedGroups, g.edges,
        g.edgesTruncated);
  }

  public int size() {
    return graphs.size();
  }

  /** What changed since the last call (each changed graph with its changed groups, and the graphs gone); null if nothing. */
  public DashboardView.GraphChanges takeChanges(long seq) {
    if (dirty.isEmpty() && removed.isEmpty()) {
      return null;
    }
    List<DashboardView.GraphChange> changes = new ArrayList<>(dirty.size());
    for (Held g : dirty.values()) {
      List<DashboardView.Group> groups = new ArrayList<>(g.changed.size());
      for (String name : g.changed) {
        DashboardView.Group v = g.groups.get(name);
        if (v != null) {
          groups.add(v);
        }
      }
      changes.add(new DashboardView.GraphChange(item(g), groups));
      g.changed.clear();
      g.dirty = false;
    }
    DashboardView.GraphChanges out = new DashboardView.GraphChanges(seq, changes, List.copyOf(removed));
    dirty.clear();
    removed.clear();
    return out;
  }

  /** Forgets what changed (browsers start again from a fresh load). */
  public void clearChanges() {
    dirty.values().forEach(g -> {
      g.changed.clear();
      g.dirty = false;
    });
    dirty.clear();
    removed.clear();
  }

  private static DashboardView.GraphItem item(Held g) {
    return new DashboardView.GraphItem(g.id, g.name, g.state, g.submitted, g.finished, g.tasks, g.erred,
        g.groups.size() + g.droppedGroups);
  }
}
