package org.tasklane.scheduler;

import static org.tasklane.protocol.TaskState.RELEASED;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/**
 * Makes a submitted graph's records from its (validated) spec: its tasks with consecutive ids,
 * their inputs and dependents, its groups, and which tasks are wanted. Every task starts released;
 * the table takes it from there.
 */
final class GraphBuilder {
  private GraphBuilder() {}

  static GraphRecord build(String graphId, GraphSpec spec, long nowMillis, long firstTaskId, GroupBoard groups) {
    List<TaskSpec> specs = spec.tasks();
    GraphRecord g = new GraphRecord(graphId, spec.name() == null ? "" : spec.name(), nowMillis);
    TaskRecord[] records = new TaskRecord[specs.size()];
    g.firstTaskId = firstTaskId;
    // a graph's tasks mostly call a few functions: one String for each, not one per task
    Map<String, String> fns = new HashMap<>();
    for (int i = 0; i < records.length; i++) {
      TaskSpec ts = specs.get(i);
      GroupStats gs = g.groups.computeIfAbsent(ts.groupName(), groups::graphGroup);
      gs.addNew();
      records[i] = new TaskRecord(firstTaskId + i, g, ts.key(), fns.computeIfAbsent(ts.fn(), f -> f),
          ts.argsOrEmpty(), gs, ts.retriesOrZero(), ts.timeoutMillis());
    }
    g.tasks = records;
    g.byKey = new KeyIndex(records);
    linkDependencies(g, specs);
    g.groupEdges = GroupEdges.of(records, DashboardProtocol.GraphEvent.MAX_EDGES);
    g.remaining = records.length;
    g.stateCounts[RELEASED.ordinal()] = records.length;
    boolean wantGiven = spec.want() != null && !spec.want().isEmpty();
    if (wantGiven) {
      for (String w : spec.want()) {
        g.byKey.get(w).wanted = true;
      }
    }
    for (TaskRecord t : records) {
      t.wanted |= !wantGiven && t.dependents.length == 0;
      g.wantedCount += t.wanted ? 1 : 0;
    }
    return g;
  }

  /**
   * Each task's distinct inputs, and each input's dependents, as arrays of their exact size (no
   * list per task: most tasks have no dependents, or one).
   */
  private static void linkDependencies(GraphRecord g, List<TaskSpec> specs) {
    TaskRecord[] records = g.tasks;
    int[] dependents = new int[records.length];
    for (int i = 0; i < records.length; i++) {
      List<String> refs = specs.get(i).refs();
      if (refs.isEmpty()) {
        continue;
      }
      Set<TaskRecord> deps = new LinkedHashSet<>();
      for (String r : refs) {
        deps.add(g.byKey.get(r));
      }
      records[i].deps = deps.toArray(TaskRecord.NO_TASKS);
      for (TaskRecord d : records[i].deps) {
        dependents[(int) (d.id - g.firstTaskId)]++;
      }
    }
    for (int i = 0; i < records.length; i++) {
      if (dependents[i] > 0) {
        records[i].dependents = new TaskRecord[dependents[i]];
        dependents[i] = 0; // from here on: how many are filled in
      }
    }
    for (TaskRecord t : records) {
      for (TaskRecord d : t.deps) {
        d.dependents[dependents[(int) (d.id - g.firstTaskId)]++] = t;
      }
    }
  }
}
