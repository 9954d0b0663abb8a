package org.tasklane.dashboard.history;

import org.tasklane.dashboard.TestingMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tasklane.dashboard.DashboardState;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.Transfer;
import org.tasklane.protocol.api.GroupProgress;

/**
 * A run as a live dashboard sees it and as its writer records it, with one clock for both: every
 * 50 ms a scheduler batch (group counts, the tasks that finished) is applied to a live
 * {@link DashboardState} and written as Progress and Tasks records stamped with the same time;
 * every 500 ms each worker's metrics likewise; every {@code checkpointEvery} ms a checkpoint of the
 * live groups and workers. The live state adds a resource point at each whole second, as the
 * dashboard's timer does. Snapshots of the live state are taken at the asked times.
 */
final class SimulatedRun {
  static final long T0 = 1_700_000_000_000L;
  static final String GRAPH = "g-1";

  final List<HistoryRecord> records = new ArrayList<>();
  final Map<Long, DashboardView.Snapshot> live = new TreeMap<>();
  final long end;
  final int tasks;

  /**
   * @param tasks tasks of group "load" (plus one "total"), finishing {@code perBatch} per 50 ms
   * @param snapshotsAt the times (epoch ms) of the live snapshots to take
   */
  SimulatedRun(int tasks, int perBatch, long checkpointEvery, List<Long> snapshotsAt) {
    this.tasks = tasks;
    DashboardState state = new DashboardState();
    List<Long> wanted = new ArrayList<>(snapshotsAt);
    wanted.sort(Long::compare);
    String incarnation = "sched-1";
    GroupProgress load = new GroupProgress("load", tasks, 0, 0, 0, 0, tasks);
    GroupProgress total = new GroupProgress("total", 1, 0, 0, 0, 0, 1);
    Map<String, DashboardProtocol.WorkerMetrics> latest = new LinkedHashMap<>();
    DashboardProtocol.GraphEvent graph = new DashboardProtocol.GraphEvent(GRAPH, "sim", "running", T0, 0, tasks + 1, 0,
        List.of(load, total));
    state.apply(new DashboardProtocol.Snapshot(incarnation, 0, T0, List.of(load, total), List.of(), List.of(), List.of()),
        T0);
    records.add(new HistoryRecord.RunStarted(T0, graph, incarnation, false));

    long seq = 0;
    int done = 0;
    long id = 0;
    long t = T0;
    long nextMetrics = T0 + 20;
    long nextCheckpoint = T0 + checkpointEvery;
    long nextSecond = T0 + 1000;
    boolean finished = false;
    while (!finished) {
      t += 50;
      // the live dashboard's one-second timer, just before the records of that millisecond
      for (; nextSecond <= t; nextSecond += 1000) {
        take(state, wanted, nextSecond - 1);
        state.prune(nextSecond);
        state.recordResources(state.workers(nextSecond), nextSecond);
      }
      take(state, wanted, t - 1);
      if (t >= nextCheckpoint) {
        // the state as of the records before it, stamped with the time of the next ones (see RecordSpan)
        records.add(new HistoryRecord.Checkpoint(t, List.of(load, total), List.copyOf(latest.values()), id));
        nextCheckpoint += checkpointEvery;
      }
      if (t >= nextMetrics) {
        List<DashboardProtocol.WorkerMetrics> ms = new ArrayList<>();
        for (int w = 1; w <= 2; w++) {
          DashboardProtocol.WorkerMetrics m = metrics("w" + w, (t - T0) / 500 + 1, t, done);
          state.apply(m, t);
          latest.put(m.worker(), m);
          ms.add(m);
        }
        records.add(new HistoryRecord.Workers(t, ms));
        nextMetrics += 500;
      }
      List<DashboardProtocol.TaskEvent> batch = new ArrayList<>();
      for (int i = 0; i < perBatch && done < tasks; i++, done++) {
        batch.add(task(++id, "load-" + id, "load", t, i));
      }
      List<GroupProgress> changed = new ArrayList<>();
      load = new GroupProgress("load", tasks, Math.max(0, done - done / 3), done / 3, 0, Math.min(2, tasks - done),
          tasks - done - Math.min(2, tasks - done));
      changed.add(load);
      if (done == tasks) {
        batch.add(task(++id, "total", "total", t, perBatch));
        total = new GroupProgress("total", 1, 1, 0, 0, 0, 0);
        changed.add(total);
        finished = true;
      }
      state.apply(new DashboardProtocol.SchedulerEvents(incarnation, ++seq, t, changed, List.of(), batch, 0, List.of(),
          false, List.of()), t);
      graph = new DashboardProtocol.GraphEvent(GRAPH, "sim", finished ? "done" : "running", T0, finished ? t : 0,
          tasks + 1, 0, changed);
      records.add(new HistoryRecord.Progress(t, graph));
      records.add(new HistoryRecord.Tasks(t, batch));
      take(state, wanted, t);
    }
    records.add(new HistoryRecord.RunFinished(t, graph));
    this.end = t;
    for (long w : wanted) {
      // after the end: the live state goes on with its timer
      for (; nextSecond <= w; nextSecond += 1000) {
        state.prune(nextSecond);
        state.recordResources(state.workers(nextSecond), nextSecond);
      }
      live.put(w, state.snapshot(0, w, true));
    }
  }

  /** Takes the wanted snapshots at or before {@code upTo}: the state then is the current one. */
  private void take(DashboardState state, List<Long> wanted, long upTo) {
    while (!wanted.isEmpty() && wanted.get(0) <= upTo) {
      long w = wanted.remove(0);
      live.put(w, state.snapshot(0, w, true));
    }
  }

  ListRecording recording() {
    return new ListRecording(new RunInfo("run-1", GRAPH, "sim", "done", T0, end, tasks + 1, 0, tasks + 1,
        List.of("w1", "w2"), false, "", 0), records);
  }

  static DashboardProtocol.TaskEvent task(long id, String key, String group, long batchMillis, int i) {
    long stop = batchMillis * 1000 - 1000 + i;
    long start = stop - 40_000;
    String worker = id % 2 == 0 ? "w1" : "w2";
    return new DashboardProtocol.TaskEvent(id, key, group, GRAPH, worker, "lane-" + (id % 4 / 2), start, stop, "memory",
        8, null, id % 5 == 0 ? List.of(new Transfer(id - 1, "load-" + (id - 1), "w9", 100, start - 300, start - 10))
            : List.of());
  }

  static DashboardProtocol.WorkerMetrics metrics(String name, long seq, long t, int done) {
    return TestingMetrics.flat(name, "winc-" + name, seq, t, "host-" + name, "pekko://tasklane@h:1", 2,
        (int) (seq % 3), 0, done, done * 8L, 0, 0, 0, 0, done / 2, 10.0 * (seq % 7), 100_000_000L + seq, 1_000_000_000L,
        1000.0, 2000.0, 0.0, 0.0);
  }
}
