package org.tasklane.dashboard.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.api.GroupProgress;

/**
 * Turns what the dashboard hears into run files: one per graph, from its {@code RunStarted} to its
 * {@code RunFinished}. Runs on the writer's thread only (not thread-safe); does the file I/O.
 * Every record's time is this writer's clock, never going back.
 */
final class RunRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunRecorder.class);
  /** Task ids written lately, so that a snapshot's recent tasks are not written twice. */
  static final int RECENT_IDS = 50_000;
  /** Graphs seen but not recorded (their file exists, or too many runs were open), remembered this many. */
  static final int SKIPPED_GRAPHS = 4096;

  private final HistoryStore store;
  private final HistorySettings settings;
  private final RecordCodec codec = new RecordCodec();
  private final Map<String, OpenRun> open = new LinkedHashMap<>();
  private final Set<String> skipped = boundedSet(SKIPPED_GRAPHS);
  private final RecentIds recentIds = new RecentIds(RECENT_IDS);
  private final Map<String, DashboardProtocol.WorkerMetrics> latestMetrics = new HashMap<>();
  private final Map<String, DashboardProtocol.WorkerMetrics> pendingMetrics = new LinkedHashMap<>();
  private String incarnation;
  private long lastTime;

  /** One run being written. */
  private static final class OpenRun {
    final String id;
    final String graphId;
    boolean closed;
    final RunFileAppender file;
    final Map<String, GroupProgress> groups = new LinkedHashMap<>();
    final TreeSet<String> workers = new TreeSet<>();
    int workersWritten;
    long lastCheckpoint;

    OpenRun(String id, String graphId, RunFileAppender file, long now) {
      this.id = id;
      this.graphId = graphId;
      this.file = file;
      this.lastCheckpoint = now;
    }
  }

  RunRecorder(HistoryStore store, HistorySettings settings) {
    this.store = store;
    this.settings = settings;
  }

  int openRuns() {
    return open.size();
  }

  // ------------------------------------------------------------------ inputs

  void onSchedulerEvents(DashboardProtocol.SchedulerEvents b, boolean gap) {
    onSchedulerEvents(b, gap, System.currentTimeMillis());
  }

  /** @param stamp when the dashboard applied it (its clock): the time of its records */
  void onSchedulerEvents(DashboardProtocol.SchedulerEvents b, boolean gap, long stamp) {
    long now = at(stamp);
    newIncarnation(b.incarnation(), now);
    if (gap && !open.isEmpty()) {
      gapAll(now, 0, "the dashboard missed scheduler batches before batch " + b.seq()
          + ": task records of that time may be missing");
    }
    if (b.droppedTasks() > 0 && !open.isEmpty()) {
      gapAll(now, b.droppedTasks(), "the scheduler left " + b.droppedTasks()
          + " task records out of a batch (of all its graphs): this run's may be among them");
    }
    for (DashboardProtocol.GraphEvent g : b.graphs()) {
      if (!open.containsKey(g.graphId())) {
        start(g, false, now);
      }
    }
    writeTasks(b.tasks(), now);
    for (DashboardProtocol.GraphEvent g : b.graphs()) {
      progress(g, now);
    }
  }

  void onSnapshot(DashboardProtocol.Snapshot s) {
    onSnapshot(s, System.currentTimeMillis());
  }

  void onSnapshot(DashboardProtocol.Snapshot s, long stamp) {
    long now = at(stamp);
    newIncarnation(s.incarnation(), now);
    for (DashboardProtocol.GraphEvent g : s.graphs()) {
      if (!open.containsKey(g.graphId())) {
        start(g, true, now);
      }
    }
    writeTasks(s.recentTasks(), now);
    for (DashboardProtocol.GraphEvent g : s.graphs()) {
      progress(g, now);
    }
  }

  void onWorkerMetrics(DashboardProtocol.WorkerMetrics m) {
    onWorkerMetrics(m, System.currentTimeMillis());
  }

  void onWorkerMetrics(DashboardProtocol.WorkerMetrics m, long stamp) {
    at(stamp);
    latestMetrics.put(m.worker(), m);
    if (!open.isEmpty()) {
      pendingMetrics.put(m.worker(), m);
    }
  }

  /** The writer's queue overflowed: the runs of these graphs (all open runs if {@code allRuns}) lost records. */
  void onDropped(Collection<String> graphIds, boolean allRuns, long tasks, long messages) {
    long now = streamTime();
    String reason = "the history writer fell behind and dropped " + messages + " message(s) (" + tasks
        + " task records of all graphs)";
    for (OpenRun r : new ArrayList<>(open.values())) {
      if (allRuns || graphIds.contains(r.graphId)) {
        append(r, new HistoryRecord.Gap(now, 0, reason));
      }
    }
  }

  /** About once a second: the workers' figures, due checkpoints, and a flush of every open run. */
  void onTick() {
    long now = streamTime();
    if (!pendingMetrics.isEmpty() && !open.isEmpty()) {
      HistoryRecord.Workers w = new HistoryRecord.Workers(now, List.copyOf(pendingMetrics.values()));
      for (OpenRun r : new ArrayList<>(open.values())) {
        append(r, w);
      }
    }
    pendingMetrics.clear();
    latestMetrics.values().removeIf(m -> now - m.timeMillis() > 60_000);
    for (OpenRun r : new ArrayList<>(open.values())) {
      if (now - r.lastCheckpoint >= settings.checkpointEvery().toMillis()) {
        checkpoint(r, now);
      }
      try {
        r.file.flush();
      } catch (IOException e) {
        failed(r, e);
      }
    }
  }

  /** Closes every open run as it is (they stay partial: the dashboard stopped during them). */
  @Override
  public void close() {
    for (OpenRun r : new ArrayList<>(open.values())) {
      checkpoint(r, now());
      closeRun(r);
    }
  }

  // ------------------------------------------------------------------ runs

  private void start(DashboardProtocol.GraphEvent g, boolean fromSnapshot, long now) {
    if (!"running".equals(g.state()) || skipped.contains(g.graphId())) {
      return; // a graph that ended before this dashboard saw it start is not recorded
    }
    String id = RunIds.of(g.submittedMillis(), g.graphId());
    Path f = store.fileOf(id);
    if (Files.exists(f)) {
      skipped.add(g.graphId()); // recorded (in part) before this dashboard restarted
      log.debug("History: run {} is in the folder already; not recording it again", id);
      return;
    }
    if (open.size() >= settings.maxOpenRuns()) {
      skipped.add(g.graphId());
      log.warn("History: {} runs are being recorded, the most there may be (max-open-runs); graph {} ({}) is not "
          + "recorded", open.size(), g.graphId(), g.name());
      return;
    }
    boolean late = fromSnapshot && anyFinished(g);
    try {
      OpenRun r = new OpenRun(id, g.graphId(), new RunFileAppender(f, codec), now);
      open.put(g.graphId(), r);
      g.groups().forEach(x -> r.groups.put(x.name(), x));
      append(r, new HistoryRecord.RunStarted(now, g, incarnation == null ? "" : incarnation, late));
      r.file.flush(); // the store indexes it now: it must find the header and the first record
      store.opened(id);
    } catch (IOException e) {
      skipped.add(g.graphId());
      log.warn("History: cannot write run {} in {} ({}); it is not recorded", id, f.getParent(), e.getMessage());
    }
  }

  private static boolean anyFinished(DashboardProtocol.GraphEvent g) {
    return g.erred() > 0 || g.groups().stream().anyMatch(x -> x.memory() + x.released() + x.erred() > 0);
  }

  private void progress(DashboardProtocol.GraphEvent g, long now) {
    OpenRun r = open.get(g.graphId());
    if (r == null) {
      return;
    }
    g.groups().forEach(x -> r.groups.put(x.name(), x));
    // the group edges are in the run's RunStarted record: the later ones leave them out
    if ("running".equals(g.state())) {
      append(r, new HistoryRecord.Progress(now, g.withoutEdges()));
      return;
    }
    writeSummary(r, now, true);
    append(r, new HistoryRecord.RunFinished(now, g.withoutEdges()));
    closeRun(r);
  }

  /** Writes each task to its run's file, once: a snapshot repeats tasks that batches brought. */
  private void writeTasks(List<DashboardProtocol.TaskEvent> tasks, long now) {
    if (open.isEmpty()) {
      return;
    }
    Map<OpenRun, List<DashboardProtocol.TaskEvent>> byRun = new LinkedHashMap<>();
    for (DashboardProtocol.TaskEvent t : tasks) {
      OpenRun r = open.get(t.graphId());
      if (r == null || !recentIds.add(t.taskId())) {
        continue;
      }
      byRun.computeIfAbsent(r, x -> new ArrayList<>()).add(t);
      r.workers.add(t.worker());
    }
    byRun.forEach((r, ts) -> append(r, new HistoryRecord.Tasks(now, ts)));
  }

  private void checkpoint(OpenRun r, long now) {
    append(r, new HistoryRecord.Checkpoint(now, List.copyOf(r.groups.values()), List.copyOf(latestMetrics.values()),
        r.file.tasks()));
    writeSummary(r, now, false);
    r.lastCheckpoint = now;
  }

  private void writeSummary(OpenRun r, long now, boolean always) {
    if (always || r.workers.size() != r.workersWritten) {
      try {
        r.file.appendSummary(new RunSummary(List.copyOf(r.workers)), now);
        r.workersWritten = r.workers.size();
      } catch (IOException e) {
        failed(r, e);
      }
    }
  }

  /** A new scheduler incarnation: the old one's graphs are gone, their ends never to be seen. */
  private void newIncarnation(String inc, long now) {
    if (inc.equals(incarnation)) {
      return;
    }
    if (incarnation != null) {
      recentIds.clear(); // task ids start again
      for (OpenRun r : new ArrayList<>(open.values())) {
        append(r, new HistoryRecord.Gap(now, 0, "the scheduler restarted during the run (a new incarnation): "
            + "the run's end was not seen"));
        closeRun(r);
      }
    }
    incarnation = inc;
  }

  private void gapAll(long now, long missed, String reason) {
    for (OpenRun r : new ArrayList<>(open.values())) {
      append(r, new HistoryRecord.Gap(now, missed, reason));
    }
  }

  private void append(OpenRun r, HistoryRecord rec) {
    if (r.closed) {
      return; // closed on an earlier failure
    }
    try {
      r.file.append(rec, rec.timeMillis());
    } catch (IOException e) {
      failed(r, e);
    }
  }

  private void failed(OpenRun r, IOException e) {
    log.warn("History: cannot write run {} ({}); it stops here, partial", r.id, e.getMessage());
    closeRun(r);
  }

  private void closeRun(OpenRun r) {
    if (r.closed) {
      return;
    }
    r.closed = true;
    open.remove(r.graphId);
    try {
      r.file.close();
    } catch (IOException e) {
      log.warn("History: cannot close run {} ({})", r.id, e.getMessage());
    }
    store.closed(r.id);
  }

  private long now() {
    lastTime = Math.max(lastTime, System.currentTimeMillis());
    return lastTime;
  }

  /** The time of a record of a message the dashboard stamped: its stamp (never going back). */
  private long at(long stamp) {
    lastTime = Math.max(lastTime, stamp);
    return lastTime;
  }

  /**
   * The time of a record this writer makes itself (workers' figures, checkpoints, gaps): the latest
   * stamp it has, not its own clock, which runs ahead of the stamps still in its queue and would
   * push them later than the dashboard applied them (see the dashboard's RecordClock). The wall
   * clock only before the first stamp.
   */
  private long streamTime() {
    return lastTime > 0 ? lastTime : now();
  }

  private static <T> Set<T> boundedSet(int max) {
    return java.util.Collections.newSetFromMap(new LinkedHashMap<T, Boolean>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<T, Boolean> eldest) {
        return size() > max;
      }
    });
  }

}
