package org.tasklane.scheduler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tasklane.protocol.DashboardProtocol;

/**
 * The dependencies between the task groups of one graph, computed once when the scheduler accepts
 * it (it has the whole graph then): an edge from group A to group B when a task of B takes the
 * result of a task of A, each pair once, none from a group to itself (a chain inside a group, like
 * {@code inc-0 → inc-1}, is no edge). At most {@code max} edges, the first found in task order; past
 * that the rest are left out and {@link Result#truncated()} says so. One pass over the tasks' inputs.
 */
final class GroupEdges {

  /** The edges found, and whether any were left out. */
  record Result(List<DashboardProtocol.GroupEdge> edges, boolean truncated) {
    static final Result NONE = new Result(List.of(), false);
  }

  private GroupEdges() {}

  static Result of(TaskRecord[] tasks, int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be at least 0, not " + max);
    }
    // groups are numbered as first seen, so that a pair is one long (no object per input)
    Map<GroupStats, Integer> index = new IdentityHashMap<>();
    Set<Long> seen = new HashSet<>();
    List<DashboardProtocol.GroupEdge> edges = new ArrayList<>();
    for (TaskRecord t : tasks) {
      for (TaskRecord d : t.deps) {
        if (d.group == t.group) {
          continue;
        }
        long pair = ((long) number(index, d.group) << 32) | number(index, t.group);
        if (seen.contains(pair)) {
          continue;
        }
        if (edges.size() == max) {
          return new Result(List.copyOf(edges), true);
        }
        seen.add(pair);
        edges.add(new DashboardProtocol.GroupEdge(d.group.name, t.group.name));
      }
    }
    return edges.isEmpty() ? Result.NONE : new Result(List.copyOf(edges), false);
  }

  private static int number(Map<GroupStats, Integer> index, GroupStats g) {
    Integer n = index.get(g);
    if (n == null) {
      n = index.size();
      index.put(g, n);
    }
    return n;
  }
}
