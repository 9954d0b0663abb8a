package org.tasklane.dashboard.history;

import org.tasklane.dashboard.TestingMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.api.GroupProgress;

/** Records and run files for the history's tests. */
final class TestingRuns {
  private TestingRuns() {}

  static final long T0 = 1_800_000_000_000L;

  static DashboardProtocol.GraphEvent graph(String id, String state, int tasks, int erred, List<GroupProgress> groups) {
    return new DashboardProtocol.GraphEvent(id, "name of " + id, state, T0, "running".equals(state) ? 0 : T0 + 5000,
        tasks, erred, groups);
  }

  static DashboardProtocol.TaskEvent task(long id, String graphId, long startMicros, long stopMicros) {
    return new DashboardProtocol.TaskEvent(id, "inc-" + id, "inc", graphId, "10.0.0." + (id % 3) + ":4000",
        "t" + (id % 4), startMicros, stopMicros, id % 97 == 0 ? "erred" : "memory", 28,
        id % 97 == 0 ? "boom <b>" + id + "</b>" : null,
        id % 5 == 0 ? List.of(new org.tasklane.protocol.Transfer(id - 1, "inc-" + (id - 1), "10.0.0.9:4000", 1000, startMicros - 50,
            startMicros - 10)) : List.of(),
        id > 0 ? List.of(id - 1) : List.of());
  }

  static DashboardProtocol.WorkerMetrics metrics(String worker, long time) {
    return TestingMetrics.flat(worker, "inc1", time, time, "10.0.0.1", worker, 2, 1, 0, 3, 300, 1, 10,
        2, 20, 7, 50.5, 1 << 20, 1 << 30, 1.5, 2.5, 3.5, 4.5);
  }

  /** One record of every kind, as a run file holds them (RunStarted first, RunFinished last). */
  static List<HistoryRecord> everyKind(String graphId) {
    List<GroupProgress> groups = List.of(new GroupProgress("inc", 10, 2, 1, 1, 3, 3));
    List<HistoryRecord> out = new ArrayList<>();
    out.add(new HistoryRecord.RunStarted(T0, graph(graphId, "running", 10, 0, groups), "inc1", false));
    out.add(new HistoryRecord.Progress(T0 + 100, graph(graphId, "running", 10, 1, groups)));
    List<DashboardProtocol.TaskEvent> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tasks.add(task(i, graphId, T0 * 1000 + i * 1000, T0 * 1000 + i * 1000 + 900));
    }
    tasks.add(task(97, graphId, T0 * 1000, T0 * 1000 + 5));
    out.add(new HistoryRecord.Tasks(T0 + 200, tasks));
    out.add(new HistoryRecord.Workers(T0 + 300, List.of(metrics("w1", T0 + 250), metrics("w2", T0 + 260))));
    out.add(new HistoryRecord.Gap(T0 + 400, 12, "the scheduler left out 12 task records"));
    out.add(new HistoryRecord.Checkpoint(T0 + 2000, groups, List.of(metrics("w1", T0 + 1900)), 11));
    out.add(new HistoryRecord.RunFinished(T0 + 5000, graph(graphId, "done", 10, 1, groups)));
    return out;
  }

  /** Writes the records to a new file, each at its own time. */
  static void write(Path file, List<HistoryRecord> records) throws IOException {
    try (RunFileAppender a = new RunFileAppender(file, new RecordCodec())) {
      for (HistoryRecord r : records) {
        a.append(r, r.timeMillis());
      }
    }
  }

  static List<HistoryRecord> readAll(RunRecording r) {
    List<HistoryRecord> out = new ArrayList<>();
    r.forEach(out::add);
    return out;
  }
}
