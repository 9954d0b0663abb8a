package org.tasklane.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tasklane.dashboard.history.HistoryRecord;
import org.tasklane.dashboard.history.HistoryStore;
import org.tasklane.dashboard.history.RunRecording;
import org.tasklane.protocol.api.GroupProgress;

/** What the history system tests read: a run's listing entry, and its group counts from its file. */
final class RunHistories {
  private RunHistories() {}

  /** The entry of graph {@code graphId} in a dashboard's (or history server's) {@code api/v1/runs.json}, or null. */
  static JsonNode run(String base, String graphId) {
    JsonNode runs = LocalCluster.getJson(base + "api/v1/runs.json");
    if (runs != null) {
      for (JsonNode r : runs) {
        if (r.get("graphId").asText().equals(graphId)) {
          return r;
        }
      }
    }
    return null;
  }

  /**
   * A run's groups as its file says they ended: every group of its {@code RunStarted}, each replaced
   * by the later records' absolute counts (progress, checkpoints, the finish). Read through a
   * read-only store, which changes nothing in the folder.
   */
  static Map<String, GroupProgress> finalGroups(Path historyDir, String runId) {
    HistoryStore store = new HistoryStore(historyDir, 1000, Long.MAX_VALUE, true);
    Map<String, GroupProgress> groups = new LinkedHashMap<>();
    try (RunRecording r = store.open(runId).orElseThrow(() -> new AssertionError("no run " + runId + " in " + historyDir))) {
      r.forEach(rec -> {
        java.util.List<GroupProgress> gs = java.util.List.of();
        if (rec instanceof HistoryRecord.RunStarted s) {
          gs = s.graph().groups();
        } else if (rec instanceof HistoryRecord.Progress p) {
          gs = p.graph().groups();
        } else if (rec instanceof HistoryRecord.Checkpoint c) {
          gs = c.groups();
        } else if (rec instanceof HistoryRecord.RunFinished f) {
          gs = f.graph().groups();
        }
        gs.forEach(g -> groups.put(g.name(), g));
      });
    }
    return groups;
  }

  /** The scheduler's groups by name. */
  static Map<String, GroupProgress> byName(Iterable<GroupProgress> groups) {
    Map<String, GroupProgress> out = new LinkedHashMap<>();
    groups.forEach(g -> out.put(g.name(), g));
    return out;
  }
}
