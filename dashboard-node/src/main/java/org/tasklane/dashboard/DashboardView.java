package org.tasklane.dashboard;

import java.math.BigDecimal;
import java.util.List;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.api.GroupProgress;

/**
 * What a browser gets, as JSON (docs/dashboard.md, "Shapes"): the dashboard's own records, so that
 * no protocol record reaches a page by accident. Times are epoch milliseconds (a task's times keep
 * their microseconds as a fraction: {@code 1700000000123.456}); sizes are bytes.
 */
public interface DashboardView {

  /** One task group's bar: dark blue {@code memory}, light blue {@code released}, black {@code erred}, gray the rest. */
  record Group(String name, int total, int memory, int released, int erred, int processing, int waiting) {
    static Group of(GroupProgress g) {
      return new Group(g.name(), g.total(), g.memory(), g.released(), g.erred(), g.processing(), g.waiting());
    }
  }

  /** One input fetched from a peer before a task ran (drawn in red). */
  record Transfer(String key, String peer, long bytes, Number start, Number stop) {}

  /** One task that ran. {@code key}, {@code group} and {@code error} are user input: text only. */
  record Task(
      long id, String key, String group, String graph, String worker, String thread, Number start, Number stop,
      String status, long nbytes, String error, List<Transfer> transfers) {
    public Task {
      transfers = List.copyOf(transfers);
    }

    public static Task of(DashboardProtocol.TaskEvent t) {
      return new Task(t.taskId(), t.key(), t.group(), t.graphId(), t.worker(), t.thread(), millis(t.startMicros()),
          millis(t.stopMicros()), t.status(), t.nbytes(), t.error(),
          t.transfers().stream()
              .map(x -> new Transfer(x.key(), x.peer(), x.bytes(), millis(x.startMicros()), millis(x.stopMicros())))
              .toList());
    }
  }

  /**
   * One row of the worker table. {@code host} is what the page groups rows by. {@code figures} are
   * the worker's own, from its latest metrics, handed over as the worker sent them (all 0 until the
   * first; for a worker the scheduler lists but that has sent none yet, its tasks are the
   * scheduler's count). {@code processing}: the tasks the scheduler has given it; {@code latency}
   * the scheduler's round trip to it (ms, to 0.01), 0 until the scheduler has measured one. {@code
   * lastSeen}: when the dashboard last heard of it (epoch ms).
   */
  record Worker(
      String name, String host, String address, int nthreads, int processing, double latency, long lastSeen,
      DashboardProtocol.WorkerFigures figures) {
    public Worker {
      figures = figures == null ? DashboardProtocol.WorkerFigures.NONE : figures;
    }
  }

  /**
   * The cluster's totals now: the worker table's sums ({@code cpu} in percent of one core, {@code
   * memory} the workers' resident bytes, {@code memoryLimit} the sum of their limits) and the tasks
   * that finished per second over the last 5 s.
   */
  record Resources(
      long time, int workers, int threads, int executing, int queued, long heldBytes, double tasksPerSecond,
      double cpu, long memory, long memoryLimit, long managed, long unmanaged, long spilled, int paused) {

    /** Totals without the heap's parts. */
    public Resources(
        long time, int workers, int threads, int executing, int queued, long heldBytes, double tasksPerSecond,
        double cpu, long memory, long memoryLimit) {
      this(time, workers, threads, executing, queued, heldBytes, tasksPerSecond, cpu, memory, memoryLimit, 0, 0, 0, 0);
    }
  }

  /**
   * One point of the cluster resource plot (see {@link ResourceHistory}): {@code time} the start of
   * its second (epoch ms), {@code cpu} the sum of the workers' CPU (percent of one core), {@code
   * memory} the sum of their resident bytes, {@code memoryLimit} the sum of their limits, {@code
   * workers} how many there were.
   */
  record ResourcePoint(
      long time, double cpu, long memory, long memoryLimit, int workers, long managed, long unmanaged, long spilled) {

    /** A point without the heap's parts ({@code managed}, {@code unmanaged}, {@code spilled}: sums over the workers). */
    public ResourcePoint(long time, double cpu, long memory, long memoryLimit, int workers) {
      this(time, cpu, memory, memoryLimit, workers, 0, 0, 0);
    }
  }

  // ---- the SSE events' data, and /api/v1/status.json ----

  /**
   * {@code snapshot}: everything, first on every connection. {@code tasks} are the last 1000;
   * {@code history} is the resource plot's last five minutes, oldest first; {@code largeCluster}
   * as in {@link Workers}.
   */
  record Snapshot(
      long seq, long now, boolean connected, List<Group> groups, List<Task> tasks, List<Worker> workers,
      Resources resources, List<ResourcePoint> history, boolean largeCluster) {
    public Snapshot {
      groups = List.copyOf(groups);
      tasks = List.copyOf(tasks);
      workers = List.copyOf(workers);
      history = List.copyOf(history);
    }
  }

  /** {@code progress}: the groups that changed (absolute counts) and the groups that are gone. */
  record Progress(long seq, List<Group> groups, List<String> removed) {
    public Progress {
      groups = List.copyOf(groups);
      removed = List.copyOf(removed);
    }
  }

  /** {@code tasks}: the tasks that finished since the last {@code tasks} event. */
  record Tasks(long seq, List<Task> tasks) {
    public Tasks {
      tasks = List.copyOf(tasks);
    }
  }

  /**
   * {@code workers}: the full worker table; {@code largeCluster}: above the thresholds of
   * {@link LargeClusterSettings}, so the pages draw their large-cluster modes.
   */
  record Workers(long seq, List<Worker> workers, boolean largeCluster) {
    public Workers {
      workers = List.copyOf(workers);
    }
  }

  /** {@code resources}: the cluster's totals, and the point just added to the resource plot. */
  record ResourcesUpdate(long seq, Resources resources, ResourcePoint point) {}

  /** {@code status}: the dashboard lost or regained the scheduler. */
  record Status(long seq, boolean connected, String message) {}

  // ---- the graph page: api/v1/graphs.json, api/v1/graph.json, the graphs event ----

  /** A dependency between two groups of a graph: a task of {@code to} takes a result of {@code from}. */
  record GroupEdge(String from, String to) {}

  /** One graph the dashboard holds; {@code groups} is how many it has. {@code name} is user input: text only. */
  record GraphItem(
      String id, String name, String state, long submitted, long finished, int tasks, int erred, int groups) {}

  /** {@code api/v1/graphs.json}: every graph held, oldest first, as of update {@code seq}. */
  record GraphList(long seq, List<GraphItem> graphs) {
    public GraphList {
      graphs = List.copyOf(graphs);
    }
  }

  /**
   * {@code api/v1/graph.json?id=ID}: one graph with its groups (at most 10,000; {@code droppedGroups}
   * more) and the edges between them (at most 10,000; {@code edgesTruncated} if it has more), as of
   * update {@code seq}: {@code graphs} events with a higher seq apply on top.
   */
  record GraphDetail(
      long seq, GraphItem graph, List<Group> groups, int droppedGroups, List<GroupEdge> edges, boolean edgesTruncated) {
    public GraphDetail {
      groups = List.copyOf(groups);
      edges = List.copyOf(edges);
    }
  }

  /** One graph that changed: as it is now, with its groups whose counts changed (absolute). */
  record GraphChange(GraphItem graph, List<Group> groups) {
    public GraphChange {
      groups = List.copyOf(groups);
    }
  }

  /** {@code graphs}: the graphs that changed since the last such event, and those no longer held. */
  record GraphChanges(long seq, List<GraphChange> graphs, List<String> removed) {
    public GraphChanges {
      graphs = List.copyOf(graphs);
      removed = List.copyOf(removed);
    }
  }

  /** The body of every 4xx/5xx answer of the JSON API. */
  record ErrorMessage(String error) {}

  /**
   * Epoch microseconds as epoch milliseconds: a whole number when it is one, else with three
   * decimals (never in exponent notation, which a {@code double} would get from Jackson).
   */
  static Number millis(long micros) {
    return micros % 1000 == 0 ? (Number) (micros / 1000) : BigDecimal.valueOf(micros, 3);
  }
}
