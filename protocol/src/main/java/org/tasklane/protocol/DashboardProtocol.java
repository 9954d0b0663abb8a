package org.tasklane.protocol;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.tasklane.protocol.api.GroupProgress;

/**
 * What dashboards learn, and only through these messages: batches the scheduler publishes, metrics
 * workers publish, and the snapshot a dashboard asks the scheduler for when it joins or sees a gap.
 *
 * <p>Delivery on topics is at most once. Every published message carries its publisher's
 * incarnation and a sequence number that grows by one per message; a dashboard that sees a gap in
 * the scheduler's sequence (or a new incarnation) asks for a {@link Snapshot} and applies later
 * batches on top of it.
 */
public interface DashboardProtocol {

  /** Messages to a dashboard actor (what it subscribes to, and the snapshot reply). */
  interface Command extends CborSerializable {}

  /**
   * One batch from the scheduler (topic {@link Topics#SCHEDULER_EVENTS}). Every ~50 ms, when
   * something changed, the scheduler publishes the record of every task that ran since its last
   * publish, in as many batches of at most 1,000 tasks as that takes, each with the next
   * {@code seq}: all but the last carry only {@code tasks}; the last also carries everything else
   * ({@code groups}, {@code removedGroups}, {@code droppedTasks}, {@code workers}, {@code graphs}),
   * as it is after all of them. What it publishes does not depend on how many dashboards listen.
   *
   * @param incarnation the scheduler's incarnation (a new one after a restart)
   * @param seq 1, 2, 3, ... per incarnation
   * @param timeMillis when it was published (epoch milliseconds)
   * @param groups the task groups whose counts changed, with their current (absolute) counts
   * @param removedGroups groups that no live graph has any more
   * @param tasks tasks that finished (ran to memory or erred on a worker) since the last batch, oldest
   *     first; every one of them, unless {@code droppedTasks} says otherwise
   * @param droppedTasks finished tasks whose records were dropped since the last batch (the oldest,
   *     when more piled up between two publishes than {@code tasklane.scheduler.dashboard-feed.max-pending-tasks}):
   *     the runs of that moment are missing them
   * @param workers every registered worker as the scheduler sees it, when the set or their load changed; else empty
   * @param workersChanged true if {@code workers} is the new full list
   * @param graphs the graphs that were accepted, changed, finished or cancelled since the last
   *     batch, one {@link GraphEvent} each: with its groups whose counts changed (all of them when it
   *     is new)
   */
  record SchedulerEvents(
      String incarnation,
      long seq,
      long timeMillis,
      List<GroupProgress> groups,
      List<String> removedGroups,
      List<TaskEvent> tasks,
      long droppedTasks,
      List<WorkerSummary> workers,
      boolean workersChanged,
      List<GraphEvent> graphs)
      implements Command {
    public SchedulerEvents {
      groups = List.copyOf(groups);
      removedGroups = List.copyOf(removedGroups);
      tasks = List.copyOf(tasks);
      workers = List.copyOf(workers);
      graphs = List.copyOf(graphs);
    }
  }

  /**
   * One graph as the run history records it: sent when the scheduler accepts it (with every group),
   * whenever its groups' counts change (with those groups), and when it finishes or is cancelled
   * (forgotten while running). Each is the graph's state after the batch's tasks, so applying one
   * twice is harmless. A graph accepted and finished between two publishes gets one event, with every
   * group and state {@code done}; one accepted and cancelled between two, one with every group (as
   * they were when it was cancelled) and state {@code cancelled}. A finished graph that the scheduler
   * later forgets gets no further event.
   *
   * @param graphId the graph's id
   * @param name its name (user input: shown as text only)
   * @param state {@code running}, {@code done} or {@code cancelled}, as in {@code GraphStatus}
   * @param submittedMillis when it was accepted (epoch milliseconds)
   * @param finishedMillis when its last task completed or erred, or when it was cancelled; 0 while
   *     running
   * @param tasks how many tasks it has
   * @param erred how many of them erred so far
   * @param groups this graph's groups whose counts changed, with their current (absolute) counts;
   *     every group in its first event and in a snapshot
   * @param edges the dependencies between its groups (an edge from A to B when a task of B takes the
   *     result of a task of A; none from a group to itself), each once, at most {@link #MAX_EDGES}:
   *     in its first event and in a snapshot only (empty in the others, and in records written before
   *     the field existed)
   * @param edgesTruncated true if the graph has more than {@link #MAX_EDGES} edges between its groups:
   *     {@code edges} then holds the first {@code MAX_EDGES} found, in task order
   */
  record GraphEvent(
      String graphId, String name, String state, long submittedMillis, long finishedMillis, int tasks, int erred,
      List<GroupProgress> groups, List<GroupEdge> edges, boolean edgesTruncated)
      implements CborSerializable {
    /** The most group edges one graph's event carries (10,000 pairs of names: a few hundred KiB at most). */
    public static final int MAX_EDGES = 10_000;

    public GraphEvent {
      groups = List.copyOf(groups);
      edges = edges == null ? List.of() : List.copyOf(edges);
    }

    /** An event without group edges (those that follow a graph's first one). */
    public GraphEvent(String graphId, String name, String state, long submittedMillis, long finishedMillis, int tasks,
        int erred, List<GroupProgress> groups) {
      this(graphId, name, state, submittedMillis, finishedMillis, tasks, erred, groups, List.of(), false);
    }

    /** This event without its edges (itself if it has none): what the run history's progress records keep. */
    public GraphEvent withoutEdges() {
      return edges.isEmpty() && !edgesTruncated ? this
          : new GraphEvent(graphId, name, state, submittedMillis, finishedMillis, tasks, erred, groups);
    }
  }

  /**
   * A dependency between two task groups of one graph: a task of {@code to} takes the result of a
   * task of {@code from} (names are user input: shown as text only).
   */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY) // up to 10,000 per graph: no field names on the wire
  @JsonPropertyOrder({"from", "to"})
  record GroupEdge(String from, String to) implements CborSerializable {}

  /**
   * One task that ran, as the task stream draws it.
   *
   * @param taskId the scheduler's id
   * @param key the user's key (user input: shown as text only)
   * @param group its group
   * @param graphId its graph
   * @param worker the worker it ran on
   * @param thread the worker thread it ran on
   * @param startMicros when it started (epoch microseconds), after its inputs arrived
   * @param stopMicros when it stopped
   * @param status {@code memory} or {@code erred}
   * @param nbytes the size of its result
   * @param error its error, if erred (user input: shown as text only)
   * @param transfers its inputs fetched from peers, each with start and stop (drawn in red)
   * @param deps the ids of the tasks whose results it took as inputs (from peers or not): the run
   *     history's critical path follows them
   * @param trace the full stack trace of what its function threw (at most
   *     {@link TaskReport#MAX_TRACE_CHARS}), or null: the scheduler sends a trace only with the first
   *     few erred tasks of each kind of error in a graph (see its {@code TraceSampler}), so that a graph
   *     whose every task throws the same costs the wire and the run history a few traces, not one
   *     per task (user input: shown as text only)
   */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY) // thousands per second: no field names on the wire
  @JsonPropertyOrder({"taskId", "key", "group", "graphId", "worker", "thread", "startMicros", "stopMicros", "status",
      "nbytes", "error", "transfers", "deps", "trace"})
  record TaskEvent(
      long taskId,
      String key,
      String group,
      String graphId,
      String worker,
      String thread,
      long startMicros,
      long stopMicros,
      String status,
      long nbytes,
      String error,
      List<Transfer> transfers,
      List<Long> deps,
      String trace)
      implements CborSerializable {
    public TaskEvent {
      transfers = List.copyOf(transfers);
      deps = deps == null ? List.of() : List.copyOf(deps);
    }

    /** This record without its trace (itself if it has none): what windows of recent tasks keep. */
    public TaskEvent withoutTrace() {
      return trace == null ? this : new TaskEvent(taskId, key, group, graphId, worker, thread, startMicros, stopMicros,
          status, nbytes, error, transfers, deps, null);
    }

    /** A task event without a stack trace. */
    public TaskEvent(long taskId, String key, String group, String graphId, String worker, String thread,
        long startMicros, long stopMicros, String status, long nbytes, String error, List<Transfer> transfers,
        List<Long> deps) {
      this(taskId, key, group, graphId, worker, thread, startMicros, stopMicros, status, nbytes, error, transfers,
          deps, null);
    }

    /** A task event without its dependencies (tests, and tasks that have none). */
    public TaskEvent(long taskId, String key, String group, String graphId, String worker, String thread,
        long startMicros, long stopMicros, String status, long nbytes, String error, List<Transfer> transfers) {
      this(taskId, key, group, graphId, worker, thread, startMicros, stopMicros, status, nbytes, error, transfers,
          List.of(), null);
    }
  }

  /**
   * A worker as the scheduler sees it.
   *
   * @param latencyMillis the scheduler-to-worker round trip of its last pings (moving average), 0 before the first
   */
  record WorkerSummary(
      String name, String host, String address, int nthreads, int processing, int heldResults, long heldBytes,
      double latencyMillis)
      implements CborSerializable {}

  /**
   * A worker's identity and its own figures (topic {@link Topics#WORKER_METRICS}), about twice a second.
   *
   * @param worker the worker's name
   * @param incarnation a new one each time the worker process starts
   * @param seq 1, 2, 3, ... per incarnation
   * @param timeMillis when it was sampled (epoch milliseconds)
   * @param host the host it runs on, as other hosts reach it
   * @param address its cluster address
   * @param nthreads its threads
   * @param figures what it measured ({@link WorkerFigures#NONE} from a worker that sends none)
   */
  record WorkerMetrics(
      String worker, String incarnation, long seq, long timeMillis, String host, String address, int nthreads,
      WorkerFigures figures)
      implements Command {
    public WorkerMetrics {
      figures = figures == null ? WorkerFigures.NONE : figures;
    }
  }

  /**
   * A worker's figures, one record from its sampler to the page (the dashboard hands it to browsers
   * as it is, as JSON: docs/dashboard.md, "Worker"). Adding a figure touches the sampler that fills
   * it, this record and the page. Every number is finite and not negative (a sampler's first or
   * failed reading is 0), so the record is valid JSON as it is.
   *
   * @param tasks what it runs and holds
   * @param transfers what it fetched from peers and served to them since start
   * @param process its JVM process: CPU, resident memory, the memory it may use
   * @param host its host's network and disk rates
   * @param memory its managed memory, spilled results and thresholds ({@link WorkerMemory#NONE} if none)
   */
  record WorkerFigures(Tasks tasks, Transfers transfers, Process process, Host host, WorkerMemory memory)
      implements CborSerializable {
    /** No figures yet. */
    public static final WorkerFigures NONE = new WorkerFigures(null, null, null, null, null);

    public WorkerFigures {
      tasks = tasks == null ? Tasks.NONE : tasks;
      transfers = transfers == null ? Transfers.NONE : transfers;
      process = process == null ? Process.NONE : process;
      host = host == null ? Host.NONE : host;
      memory = memory == null ? WorkerMemory.NONE : memory;
    }

    /**
     * @param executing tasks running now
     * @param queued tasks assigned and not yet running (including those fetching inputs)
     * @param heldResults results in its memory
     * @param heldBytes their size
     * @param completed tasks run to completion (ok or erred) since start
     */
    public record Tasks(int executing, int queued, int heldResults, long heldBytes, long completed)
        implements CborSerializable {
      public static final Tasks NONE = new Tasks(0, 0, 0, 0, 0);

      public Tasks {
        executing = Math.max(0, executing);
        queued = Math.max(0, queued);
        heldResults = Math.max(0, heldResults);
        heldBytes = Math.max(0, heldBytes);
        completed = Math.max(0, completed);
      }
    }

    /**
     * @param in inputs fetched from peers since start
     * @param bytesIn their size
     * @param out results served to peers since start
     * @param bytesOut their size
     */
    public record Transfers(long in, long bytesIn, long out, long bytesOut) implements CborSerializable {
      public static final Transfers NONE = new Transfers(0, 0, 0, 0);

      public Transfers {
        in = Math.max(0, in);
        bytesIn = Math.max(0, bytesIn);
        out = Math.max(0, out);
        bytesOut = Math.max(0, bytesOut);
      }
    }

    /**
     * @param cpuPercent CPU use of the worker's process, percent of one core (200 = two cores busy), to 0.1
     * @param rssBytes its resident memory
     * @param memoryLimitBytes the memory it may use (its limit, else its host's memory)
     */
    public record Process(double cpuPercent, long rssBytes, long memoryLimitBytes) implements CborSerializable {
      public static final Process NONE = new Process(0, 0, 0);

      public Process {
        cpuPercent = Double.isFinite(cpuPercent) && cpuPercent > 0 ? Math.round(cpuPercent * 10) / 10.0 : 0;
        rssBytes = Math.max(0, rssBytes);
        memoryLimitBytes = Math.max(0, memoryLimitBytes);
      }
    }

    /** Its host's network and disk traffic, in whole bytes per second. */
    public record Host(long netIn, long netOut, long diskRead, long diskWrite) implements CborSerializable {
      public static final Host NONE = new Host(0, 0, 0, 0);

      public Host {
        netIn = Math.max(0, netIn);
        netOut = Math.max(0, netOut);
        diskRead = Math.max(0, diskRead);
        diskWrite = Math.max(0, diskWrite);
      }

      /** From measured rates (NaN, infinite and negative readings are 0). */
      public static Host ofRates(double netIn, double netOut, double diskRead, double diskWrite) {
        return new Host(whole(netIn), whole(netOut), whole(diskRead), whole(diskWrite));
      }

      private static long whole(double x) {
        return Double.isFinite(x) && x > 0 ? Math.round(x) : 0;
      }
    }
  }

  /**
   * The figures of the workers of one JVM (topic {@link Topics#WORKER_METRICS}), about twice a
   * second: one message per JVM and interval instead of one per worker (a JVM may run hundreds of
   * workers, {@code --nworkers}). Each entry is applied as a {@link WorkerMetrics} of its own. A
   * JVM with more than {@link #MAX_ENTRIES} fresh figures sends several batches.
   *
   * @param workers the figures taken since the last batch, at most one per worker
   */
  record WorkerMetricsBatch(java.util.List<WorkerMetrics> workers) implements Command {
    /** Entries per batch, at most: 100 workers' figures stay well below Artery's frame size. */
    public static final int MAX_ENTRIES = 100;

    public WorkerMetricsBatch {
      workers = java.util.List.copyOf(workers);
      if (workers.size() > MAX_ENTRIES) {
        throw new IllegalArgumentException("a batch holds at most " + MAX_ENTRIES + " workers' figures, got "
            + workers.size());
      }
    }
  }

  /**
   * A worker's memory the way Dask shows it (docs/dashboard.md, "Memory"): {@code managedBytes} the
   * results it holds in memory, {@code spilledBytes} those it moved to its spill folder, {@code
   * unmanagedBytes} the rest of its JVM heap (as of its last garbage collection), against {@code
   * limitBytes} and the fractions of it at which it spills ({@code target}, {@code spill}), pauses and
   * restarts ({@code terminate}); 0 is off. {@code paused}: it takes no new tasks now. The counts are
   * since start: {@code spills} results written to disk, {@code unspills} read back, {@code pauses}
   * times it paused, {@code spillFailures} writes that failed (disk full, folder unwritable or at its bound).
   */
  record WorkerMemory(
      long managedBytes, long spilledBytes, int spilledResults, long unmanagedBytes, long limitBytes,
      double target, double spill, double pause, double terminate, boolean paused, long spills, long unspills,
      long pauses, long spillFailures)
      implements CborSerializable {
    /** No figures (a worker that sends none). */
    public static final WorkerMemory NONE = new WorkerMemory(0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, 0);

    public WorkerMemory {
      managedBytes = Math.max(0, managedBytes);
      spilledBytes = Math.max(0, spilledBytes);
      spilledResults = Math.max(0, spilledResults);
      unmanagedBytes = Math.max(0, unmanagedBytes);
      limitBytes = Math.max(0, limitBytes);
      target = fraction(target);
      spill = fraction(spill);
      pause = fraction(pause);
      terminate = fraction(terminate);
    }

    /** A threshold as a fraction of the limit: 0 (off) unless finite and in (0, 1]. */
    private static double fraction(double f) {
      return Double.isFinite(f) && f > 0 && f <= 1 ? f : 0;
    }
  }

  /**
   * A worker's execution samples of one interval (topic {@link Topics#WORKER_PROFILES}): one message
   * per worker per interval (about 2 s), only when there were samples; see docs/dashboard.md,
   * "Profile". Frames are {@code class.method} strings, each once in {@code frames}; the trees refer
   * to them by index.
   *
   * @param worker the worker's name
   * @param incarnation a new one each time the worker process starts
   * @param seq 1, 2, 3, ... per incarnation
   * @param fromMillis the first sample's time (epoch milliseconds, the worker's clock)
   * @param toMillis the last sample's time
   * @param periodMillis the sampling period: one sample stands for about this much time on a thread
   * @param frames the frame texts the trees refer to
   * @param trees one call tree per task group (at most {@code tasklane.worker.profile.max-groups})
   * @param unattributedSamples samples of task threads at a moment no task ran on them (or whose task
   *     the thread's history no longer held)
   * @param otherThreadSamples samples of threads that are not task threads (actors, network): counted, not kept
   */
  record WorkerProfile(
      String worker, String incarnation, long seq, long fromMillis, long toMillis, int periodMillis,
      List<String> frames, List<ProfileTree> trees, long unattributedSamples, long otherThreadSamples)
      implements Command {
    public WorkerProfile {
      frames = List.copyOf(frames);
      trees = List.copyOf(trees);
    }
  }

  /**
   * One task group's call tree, flattened in pre-order (a parent before its children). Node
   * {@code i} is frame {@code frames[i]} (an index into the message's frames) under node
   * {@code parents[i]} ({@code -1}: under the root, i.e. an outermost frame), with {@code totals[i]}
   * samples in it or below it. {@code entries} lists the nodes where the task's function starts: what
   * is above them is Tasklane's plumbing (the "user frames" view cuts there).
   */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonPropertyOrder({"group", "frames", "parents", "totals", "entries"})
  record ProfileTree(String group, List<Integer> frames, List<Integer> parents, List<Long> totals, List<Integer> entries)
      implements CborSerializable {
    public ProfileTree {
      frames = List.copyOf(frames);
      parents = List.copyOf(parents);
      totals = List.copyOf(totals);
      entries = List.copyOf(entries);
      if (parents.size() != frames.size() || totals.size() != frames.size()) {
        throw new IllegalArgumentException("a profile tree needs as many parents and totals as frames, got "
            + frames.size() + ", " + parents.size() + " and " + totals.size());
      }
    }
  }

  /**
   * The scheduler's current state for a dashboard that joins or lost track: the answer to
   * {@link SchedulerProtocol.GetDashboardSnapshot}. Batches with a higher {@code seq} of the same
   * incarnation apply on top of it.
   *
   * @param groups every group of the live graphs, in submission order
   * @param recentTasks the most recent finished tasks, oldest first (at most 20,000)
   * @param workers every registered worker
   * @param graphs every graph the scheduler holds (running or kept), each with all its groups
   */
  record Snapshot(
      String incarnation, long seq, long timeMillis, List<GroupProgress> groups, List<TaskEvent> recentTasks,
      List<WorkerSummary> workers, List<GraphEvent> graphs)
      implements Command, SnapshotAnswer {
    public Snapshot {
      groups = List.copyOf(groups);
      recentTasks = List.copyOf(recentTasks);
      workers = List.copyOf(workers);
      graphs = List.copyOf(graphs);
    }
  }

  /** The answer to {@link SchedulerProtocol.GetDashboardSnapshot}: the snapshot, or one piece of it. */
  sealed interface SnapshotAnswer extends CborSerializable permits Snapshot, SnapshotPiece {}

  /**
   * One piece of a snapshot's serialized bytes, for a dashboard on another node: a snapshot can be
   * larger than the scheduler's Artery frames, its pieces never are ({@link SnapshotPieces}).
   *
   * @param request the request this answers ({@link SchedulerProtocol.GetDashboardSnapshot#request})
   * @param index 0, 1, ... {@code count - 1}, sent in that order
   * @param count how many pieces the snapshot has
   * @param bytes this piece's bytes
   */
  record SnapshotPiece(long request, int index, int count, byte[] bytes) implements SnapshotAnswer {
    public SnapshotPiece {
      bytes = bytes == null ? new byte[0] : bytes;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SnapshotPiece p && p.request == request && p.index == index && p.count == count
          && java.util.Arrays.equals(p.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(request, index, count, java.util.Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
      return "SnapshotPiece(" + request + ", " + (index + 1) + " of " + count + ", " + bytes.length + " bytes)";
    }
  }
}
