package org.tasklane.protocol;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GraphSummary;

/** Messages the scheduler receives: from the client API and from workers. */
public interface SchedulerProtocol {

  /** Messages to the scheduler singleton. */
  interface Command extends CborSerializable {}

  /** The scheduler registers under this key; dashboards find it here. */
  ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "tasklane-scheduler");

  // ---- from the client API ----

  /** Accept this (already well-formed and acyclic) graph under this id, or reject it. */
  record SubmitGraph(String graphId, GraphSpec graph, ActorRef<SubmitReply> replyTo) implements Command {}

  /**
   * The answer to {@link SubmitGraph}.
   *
   * @param error null if accepted; else why not, in one line
   * @param retryLater true if refused only because the scheduler is full for now
   */
  record SubmitReply(String graphId, int tasks, String error, boolean retryLater) implements CborSerializable {
    public boolean accepted() {
      return error == null;
    }
  }

  /**
   * The status of a graph; if {@code maxWait} is positive and the graph is still running, the reply
   * comes when it is done or when {@code maxWait} has passed, whichever is first.
   */
  record GetGraphStatus(String graphId, Duration maxWait, ActorRef<StatusReply> replyTo) implements Command {}

  /** The answer to {@link GetGraphStatus}; {@code status} is null for an unknown graph. */
  record StatusReply(GraphStatus status) implements CborSerializable {}

  /**
   * The wanted keys of a graph that finished since the {@code from}-th (see
   * {@link org.tasklane.protocol.api.FinishedKeys}); with a positive {@code maxWait}, the reply waits
   * until there is at least one, the graph ends, or {@code maxWait} passes.
   */
  record GetFinishedKeys(String graphId, int from, Duration maxWait, ActorRef<FinishedKeysReply> replyTo)
      implements Command {}

  /** The answer to {@link GetFinishedKeys}; {@code keys} is null for an unknown graph. */
  record FinishedKeysReply(org.tasklane.protocol.api.FinishedKeys keys) implements CborSerializable {}

  /** List the graphs the scheduler knows. */
  record ListGraphs(ActorRef<GraphList> replyTo) implements Command {}

  /** The answer to {@link ListGraphs}. */
  record GraphList(List<GraphSummary> graphs) implements CborSerializable {
    public GraphList {
      graphs = List.copyOf(graphs);
    }
  }

  /**
   * Where the wanted results of a graph are held, and the errors of the erred ones: all of them
   * ({@code keys} null), or those of these wanted keys that finished (while the graph runs, too).
   */
  record GetResultLocations(String graphId, List<String> keys, ActorRef<ResultLocations> replyTo) implements Command {
    /** Every wanted result. */
    public GetResultLocations(String graphId, ActorRef<ResultLocations> replyTo) {
      this(graphId, null, replyTo);
    }

    public GetResultLocations {
      keys = keys == null || keys.isEmpty() ? null : List.copyOf(keys);
    }
  }

  /**
   * The answer to {@link GetResultLocations}.
   *
   * @param problem null when results can be read; else why not ({@code unknown}, {@code running},
   *     {@code cancelled})
   * @param locations wanted key to the task id and the data endpoints that hold it
   * @param errors wanted key to its error, for the wanted tasks that erred
   * @param traces key to the full stack trace of what its function threw, for the graph's tasks that
   *     threw themselves (not their dependents), as far as the scheduler kept them
   */
  record ResultLocations(
      String problem, Map<String, Location> locations, Map<String, String> errors, Map<String, String> traces)
      implements CborSerializable {
    public ResultLocations {
      locations = Map.copyOf(locations);
      errors = Map.copyOf(errors);
      traces = traces == null ? Map.of() : Map.copyOf(traces);
    }

    /** Locations and errors, no traces. */
    public ResultLocations(String problem, Map<String, Location> locations, Map<String, String> errors) {
      this(problem, locations, errors, Map.of());
    }
  }

  /**
   * Where one result is, and its size ({@code nbytes}, -1 if unknown): a reader fetches results in
   * messages that stay within Artery's frame, so it needs their sizes.
   */
  record Location(long taskId, List<ActorRef<WorkerProtocol.DataCommand>> holders, long nbytes)
      implements CborSerializable {
    public Location {
      holders = List.copyOf(holders);
    }

    public Location(long taskId, List<ActorRef<WorkerProtocol.DataCommand>> holders) {
      this(taskId, holders, -1);
    }
  }

  /** Stop computing this graph and drop everything it holds. */
  record ForgetGraph(String graphId, ActorRef<ForgetReply> replyTo) implements Command {}

  /** The answer to {@link ForgetGraph}. */
  record ForgetReply(String graphId, boolean found) implements CborSerializable {}

  /** The workers the scheduler has registered. */
  record ListWorkers(ActorRef<WorkerList> replyTo) implements Command {}

  /** The answer to {@link ListWorkers}. */
  record WorkerList(List<WorkerEntry> workers) implements CborSerializable {
    public WorkerList {
      workers = List.copyOf(workers);
    }
  }

  /** One registered worker as the scheduler sees it. */
  record WorkerEntry(WorkerInfo info, ActorRef<WorkerProtocol.Command> worker, int processing, int heldResults)
      implements CborSerializable {}

  /**
   * Explain one task: its state and why ({@link org.tasklane.protocol.api.TaskExplanation}). Read
   * only: the scheduler computes the answer from its table without changing it.
   */
  record ExplainTask(String graphId, String key, ActorRef<ExplainReply> replyTo) implements Command {}

  /**
   * The answer to {@link ExplainTask}.
   *
   * @param explanation the explanation, or null
   * @param problem null if explained; else why not, in one line (no such graph, no such task)
   */
  record ExplainReply(org.tasklane.protocol.api.TaskExplanation explanation, String problem)
      implements CborSerializable {}

  // ---- from dashboards ----

  /**
   * A dashboard joined or saw a gap: send the current state, as one {@link DashboardProtocol.Snapshot}
   * to a dashboard in this JVM, else as the {@link DashboardProtocol.SnapshotPiece}s of its bytes
   * ({@link SnapshotPieces}), each small enough for the scheduler's Artery frames.
   *
   * @param request the dashboard's number for this request, repeated in every piece of the answer
   */
  record GetDashboardSnapshot(long request, ActorRef<DashboardProtocol.SnapshotAnswer> replyTo) implements Command {}

  // ---- from workers ----

  /** A worker answers {@link WorkerProtocol.RegisterWith}. */
  record RegisterWorker(
      ActorRef<WorkerProtocol.Command> worker, ActorRef<WorkerProtocol.DataCommand> data, WorkerInfo info)
      implements Command {}

  /**
   * A worker answers a {@link WorkerProtocol.Ping}; the scheduler's clock gives the round trip.
   * {@code paused}: whether its memory monitor has it paused now, so that a lost
   * {@link WorkerPaused} is made good within a ping.
   */
  record Pong(ActorRef<WorkerProtocol.Command> worker, long sentNanos, boolean paused) implements Command {
    /** From a worker that is not paused. */
    public Pong(ActorRef<WorkerProtocol.Command> worker, long sentNanos) {
      this(worker, sentNanos, false);
    }
  }

  /**
   * A worker's memory monitor paused it (its memory is past the pause line: it starts no task) or
   * it resumed: the scheduler assigns a paused worker no new tasks. Sent when it changes, and after
   * registering if the worker is paused then.
   */
  record WorkerPaused(ActorRef<WorkerProtocol.Command> worker, boolean paused) implements Command {}

  /** A batch of task reports from one worker. */
  record TasksFinished(ActorRef<WorkerProtocol.Command> worker, List<TaskReport> reports) implements Command {
    public TasksFinished {
      reports = List.copyOf(reports);
    }
  }

  /**
   * A worker is stopping gracefully: give it no more tasks, have its results that nobody else holds
   * copied to other workers, and answer with {@link WorkerProtocol.Retired} when it may leave (at
   * the latest after {@code timeout}).
   */
  record RetireWorker(ActorRef<WorkerProtocol.Command> worker, Duration timeout) implements Command {}

  /**
   * A worker's answer to {@link WorkerProtocol.FetchReplicas}: the results it now holds a copy of,
   * and those no holder could give it.
   */
  record ReplicasFetched(ActorRef<WorkerProtocol.Command> worker, List<Long> stored, List<Long> failed)
      implements Command {
    public ReplicasFetched {
      stored = List.copyOf(stored);
      failed = List.copyOf(failed);
    }
  }
}
