package org.tasklane.scheduler;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tasklane.protocol.TaskState;

/**
 * The scheduler's figures at one instant, for {@code /metrics}: taken by the {@link Scheduler}
 * actor from its {@link TaskTable} (so the scrape, on another thread, reads only immutable values).
 *
 * @param tasks tasks of the graphs the scheduler holds, by state ({@link TaskState#jsonName()}; every state but
 *     {@code forgotten}, 0 included)
 * @param graphs graphs it holds by state ({@code running}, {@code done}, {@code cancelled}; 0 included)
 * @param workers workers registered
 * @param threads their task threads, summed
 */
public record SchedulerFigures(Map<String, Long> tasks, Map<String, Long> graphs, int workers, int threads) {
  /** The graph states {@link GraphRecord} reports. */
  public static final java.util.List<String> GRAPH_STATES = java.util.List.of("running", "done", "cancelled");

  /** Before the scheduler has run (or on a node where it does not): every count 0. */
  public static final SchedulerFigures NONE = of(new TaskTable());

  public SchedulerFigures {
    tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    graphs = Collections.unmodifiableMap(new LinkedHashMap<>(graphs));
  }

  /** The figures of {@code table} now. Costs one pass over its graphs (not its tasks, nor its workers). */
  public static SchedulerFigures of(TaskTable table) {
    long[] byState = new long[TaskState.values().length];
    Map<String, Long> graphs = new LinkedHashMap<>();
    GRAPH_STATES.forEach(s -> graphs.put(s, 0L));
    for (GraphRecord g : table.graphs()) {
      for (int i = 0; i < byState.length; i++) {
        byState[i] += g.stateCounts[i];
      }
      graphs.merge(g.stateName(), 1L, Long::sum);
    }
    Map<String, Long> tasks = new LinkedHashMap<>();
    for (TaskState s : TaskState.values()) {
      if (s != TaskState.FORGOTTEN) {
        tasks.put(s.jsonName(), byState[s.ordinal()]);
      }
    }
    return new SchedulerFigures(tasks, graphs, table.workers().size(), (int) table.threads());
  }
}
