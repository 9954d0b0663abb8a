package org.tasklane.scheduler;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tasklane.protocol.TaskReport;

/**
 * The stack traces of tasks that threw (not of their dependents), per graph, for the results API:
 * at most {@link #MAX_PER_GRAPH} per graph (the first ones) and {@link #MAX_CHARS} each, kept until
 * the graph is forgotten. Used by the scheduler actor only.
 */
final class GraphTraces {
  /** Traces kept per graph, at most. */
  static final int MAX_PER_GRAPH = 100;
  /** Characters kept of one trace, at most (16 KiB). */
  static final int MAX_CHARS = TaskReport.MAX_TRACE_CHARS;

  private final Map<String, Map<String, String>> byGraph = new HashMap<>();

  /** Keeps a task's trace, unless its graph has {@link #MAX_PER_GRAPH} already. */
  void note(String graphId, String key, String trace) {
    if (trace == null || trace.isEmpty()) {
      return;
    }
    Map<String, String> traces = byGraph.computeIfAbsent(graphId, k -> new LinkedHashMap<>());
    if (traces.size() < MAX_PER_GRAPH || traces.containsKey(key)) {
      traces.put(key, trace.length() > MAX_CHARS ? trace.substring(0, MAX_CHARS) : trace);
    }
  }

  /** The graph's traces, key to trace (empty if none). */
  Map<String, String> of(String graphId) {
    return byGraph.getOrDefault(graphId, Map.of());
  }

  void forget(String graphId) {
    byGraph.remove(graphId);
  }
}
