package org.tasklane.dashboard.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tasklane.dashboard.history.HistoryRecord;
import org.tasklane.dashboard.history.RunInfo;
import org.tasklane.dashboard.history.RunRecording;
import org.tasklane.protocol.DashboardProtocol.GraphEvent;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;
import org.tasklane.protocol.DashboardProtocol.WorkerMetrics;

/**
 * One recorded run read once into memory for the report and the trace: every task run in the order
 * written, each task's last successful run, the workers' metrics, and what made the run partial.
 * Holds the run's task records (a few hundred bytes each), so callers bound how many they build at once.
 *
 * @param info the run's listing entry
 * @param graph the graph as it was last described (the finish record's if there is one)
 * @param finished the log has the run's end (its {@code RunFinished} record)
 * @param runs every task run, in the order written (a task run twice appears twice)
 * @param lastGood each task id's last run that ended in memory, else its last run
 * @param metrics every worker metrics sample, in the order written
 * @param gaps the reasons of the run's gap records, in order
 */
public record RunIndex(
    RunInfo info,
    GraphEvent graph,
    boolean joinedLate,
    boolean finished,
    List<TaskEvent> runs,
    Map<Long, TaskEvent> lastGood,
    List<WorkerMetrics> metrics,
    List<String> gaps) {

  /**
   * An upper bound of the heap a run's index holds per task run (measured: {@code ReportSizeTest}),
   * for callers that must not read a run their heap cannot hold.
   */
  public static final long HELD_BYTES_PER_RUN = 600;

  public static RunIndex read(RunRecording recording) {
    return of(recording.info(), recording::forEach);
  }

  /** Builds the index from records in the order written (tests pass a list's forEach). */
  public static RunIndex of(RunInfo info, java.util.function.Consumer<java.util.function.Consumer<HistoryRecord>> source) {
    List<TaskEvent> runs = new ArrayList<>();
    Map<Long, TaskEvent> lastGood = new HashMap<>();
    List<WorkerMetrics> metrics = new ArrayList<>();
    List<String> gaps = new ArrayList<>();
    GraphEvent[] graph = {null};
    boolean[] late = {false};
    boolean[] finished = {false};
    source.accept(r -> {
      if (r instanceof HistoryRecord.RunStarted s) {
        graph[0] = s.graph();
        late[0] = s.joinedLate();
      } else if (r instanceof HistoryRecord.RunFinished f) {
        graph[0] = f.graph();
        finished[0] = true;
      } else if (r instanceof HistoryRecord.Progress p) {
        graph[0] = p.graph(); // its state and erred count are the latest
      } else if (r instanceof HistoryRecord.Tasks t) {
        for (TaskEvent e : t.tasks()) {
          runs.add(e);
          lastGood.merge(e.taskId(), e, RunIndex::better);
        }
      } else if (r instanceof HistoryRecord.Workers w) {
        metrics.addAll(w.metrics());
      } else if (r instanceof HistoryRecord.Gap g) {
        gaps.add(g.reason());
      }
    });
    if (graph[0] == null) {
      graph[0] = new GraphEvent(info.graphId(), info.name(), info.state(), info.submittedMillis(), info.finishedMillis(),
          info.tasks(), info.erred(), List.of());
    }
    return new RunIndex(info, graph[0], late[0], finished[0], runs, lastGood, metrics, gaps);
  }

  /** The run that counts for a task: the last that ended in memory; among erred runs, the last. */
  private static TaskEvent better(TaskEvent old, TaskEvent now) {
    boolean oldGood = "memory".equals(old.status());
    boolean nowGood = "memory".equals(now.status());
    if (oldGood != nowGood) {
      return nowGood ? now : old;
    }
    return now.stopMicros() >= old.stopMicros() ? now : old;
  }

  /** When the graph was submitted (epoch microseconds), or 0 if the log does not say. */
  public long submittedMicros() {
    return graph.submittedMillis() > 0 ? graph.submittedMillis() * 1000 : info.submittedMillis() * 1000;
  }

  /** The earliest time in the run: its submission, or an earlier task or transfer start (worker clocks). */
  public long originMicros() {
    long origin = submittedMicros() > 0 ? submittedMicros() : Long.MAX_VALUE;
    for (TaskEvent t : runs) {
      origin = Math.min(origin, t.startMicros());
      for (var x : t.transfers()) {
        origin = Math.min(origin, x.startMicros());
      }
    }
    return origin == Long.MAX_VALUE ? 0 : origin;
  }

  /** The latest stop of any task run, or 0 if none ran. */
  public long endMicros() {
    long end = 0;
    for (TaskEvent t : runs) {
      end = Math.max(end, t.stopMicros());
    }
    return end;
  }

  /** Why the run is partial, in one line; "" if it is complete. */
  public String partialReason() {
    List<String> why = new ArrayList<>();
    if (info.partial() && !info.partialReason().isBlank()) {
      why.add(info.partialReason());
    }
    if (why.isEmpty()) {
      if (joinedLate) {
        why.add("the dashboard joined after the graph had started");
      }
      if (!gaps.isEmpty()) {
        why.add(gaps.get(0) + (gaps.size() > 1 ? " (and " + (gaps.size() - 1) + " more gaps)" : ""));
      }
      if (!finished) {
        why.add("the log has no end yet: the run was still being recorded (or the recording stopped)");
      }
    }
    return String.join("; ", why);
  }

  public boolean partial() {
    return info.partial() || joinedLate || !gaps.isEmpty() || !finished;
  }

  public int transferCount() {
    int n = 0;
    for (TaskEvent t : runs) {
      n += t.transfers().size();
    }
    return n;
  }
}
