package org.tasklane.dashboard.report;

import org.tasklane.dashboard.TestingMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tasklane.dashboard.history.HistoryRecord;
import org.tasklane.dashboard.history.RunInfo;
import org.tasklane.protocol.DashboardProtocol.GraphEvent;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;
import org.tasklane.protocol.DashboardProtocol.WorkerMetrics;
import org.tasklane.protocol.Transfer;

/** Hand-built runs for the report's tests: tasks with deps and transfers, times in microseconds from 0. */
public final class Runs {
  public static final long T0 = 1_800_000_000_000_000L; // an epoch in microseconds, a whole millisecond

  public final List<HistoryRecord> records = new ArrayList<>();
  final Map<Long, TaskEvent> byId = new LinkedHashMap<>();
  private final List<TaskEvent> pending = new ArrayList<>();
  String name = "demo";
  boolean partial;
  String partialReason = "";

  public Runs() {
    records.add(new HistoryRecord.RunStarted(T0 / 1000, graph("running", 0), "inc-1", false));
  }

  public GraphEvent graph(String state, long finishedMillis) {
    return new GraphEvent("g-1", name, state, T0 / 1000, finishedMillis, byId.size(), 0, List.of());
  }

  /** A task that ran on worker/thread from start to stop (µs after T0) and took deps as inputs. */
  public TaskEvent task(long id, String key, String worker, String thread, long start, long stop, List<Long> deps,
      Transfer... transfers) {
    return add(new TaskEvent(id, key, key.replaceAll("-\\d+$", ""), "g-1", worker, thread, T0 + start, T0 + stop,
        "memory", 8, null, List.of(transfers), deps));
  }

  public TaskEvent erred(long id, String key, String worker, String thread, long start, long stop, String error) {
    return add(new TaskEvent(id, key, key.replaceAll("-\\d+$", ""), "g-1", worker, thread, T0 + start, T0 + stop,
        "erred", 0, error, List.of(), List.of()));
  }

  TaskEvent add(TaskEvent e) {
    pending.add(e);
    byId.put(e.taskId(), e);
    return e;
  }

  /** The result of task `from` fetched from `peer` between start and stop (µs after T0). */
  public static Transfer moved(long from, String key, String peer, long bytes, long start, long stop) {
    return new Transfer(from, key, peer, bytes, T0 + start, T0 + stop);
  }

  public Runs flush() {
    if (!pending.isEmpty()) {
      records.add(new HistoryRecord.Tasks(T0 / 1000 + records.size(), pending));
      pending.clear();
    }
    return this;
  }

  public Runs metrics(String worker, long atMillis, double cpu, long rss, int executing) {
    flush();
    records.add(new HistoryRecord.Workers(T0 / 1000 + atMillis, List.of(TestingMetrics.flat(worker, "i", 1,
        T0 / 1000 + atMillis, "host-a", "pekko://x@h:1", 2, executing, 0, 1, 100, 0, 0, 0, 0, 3, cpu, rss, 1 << 30,
        0, 0, 0, 0))));
    return this;
  }

  public RunIndex index() {
    flush();
    List<HistoryRecord> all = new ArrayList<>(records);
    long end = byId.values().stream().mapToLong(TaskEvent::stopMicros).max().orElse(T0) / 1000;
    all.add(new HistoryRecord.RunFinished(end, graph("done", end)));
    long transfers = byId.values().stream().mapToLong(t -> t.transfers().size()).sum();
    RunInfo info = new RunInfo("run-1", "g-1", name, "done", T0 / 1000, end, byId.size(), 0,
        all.stream().filter(r -> r instanceof HistoryRecord.Tasks).mapToLong(r -> ((HistoryRecord.Tasks) r).tasks().size()).sum(),
        List.of("w1", "w2"), partial, partialReason, 1000 + transfers);
    return RunIndex.of(info, all::forEach);
  }
}
