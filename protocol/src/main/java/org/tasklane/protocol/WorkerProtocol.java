package org.tasklane.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** Messages a worker receives: from the scheduler ({@link Command}) and from peers ({@link DataCommand}). */
public interface WorkerProtocol {

  /** Workers register under this key; the scheduler subscribes to it. */
  ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "tasklane-worker");

  /** Messages to the worker actor. */
  interface Command extends CborSerializable {}

  /**
   * The scheduler introduces itself; the worker answers with {@link SchedulerProtocol.RegisterWorker}.
   *
   * @param code the scheduler node's code server, where the worker fetches the jars that tasks'
   *     {@link TaskAssignment#code} name; null if the scheduler serves none
   */
  record RegisterWith(
      ActorRef<SchedulerProtocol.Command> scheduler, String schedulerIncarnation, ActorRef<CodeProtocol.Command> code)
      implements Command {
    /** An introduction without a code server. */
    public RegisterWith(ActorRef<SchedulerProtocol.Command> scheduler, String schedulerIncarnation) {
      this(scheduler, schedulerIncarnation, null);
    }
  }

  /** Run these tasks, in this order. */
  record AssignTasks(List<TaskAssignment> tasks) implements Command {
    public AssignTasks {
      tasks = List.copyOf(tasks);
    }
  }

  /** Drop these results from memory: no dependent and no client needs them any more. */
  record ReleaseResults(List<Long> taskIds) implements Command {
    public ReleaseResults {
      taskIds = List.copyOf(taskIds);
    }
  }

  /** The scheduler's ping (about once a second): answer with {@link SchedulerProtocol.Pong} at once. */
  record Ping(long sentNanos, ActorRef<SchedulerProtocol.Command> replyTo) implements Command {}

  /** Ask what the worker is doing and holding right now. */
  record GetWorkerStatus(ActorRef<WorkerStatus> replyTo) implements Command {}

  /**
   * The worker's own account of itself.
   *
   * @param info what it registered with
   * @param executing tasks running on its threads now
   * @param queued tasks assigned and not started (including those fetching inputs)
   * @param heldResults how many results it holds in memory
   * @param heldBytes their total size
   * @param heldTaskIds the ids of the results it holds (at most 1000, for tests and debugging)
   * @param transfersIn inputs fetched from peers since start
   * @param bytesIn their total size
   * @param transfersOut results served to peers since start
   * @param bytesOut their total size
   * @param tasksCompleted tasks run to completion (ok or erred) since start
   */
  record WorkerStatus(
      WorkerInfo info,
      int executing,
      int queued,
      int heldResults,
      long heldBytes,
      List<Long> heldTaskIds,
      long transfersIn,
      long bytesIn,
      long transfersOut,
      long bytesOut,
      long tasksCompleted)
      implements CborSerializable {
    public WorkerStatus {
      heldTaskIds = List.copyOf(heldTaskIds);
    }
  }

  /**
   * Fetch a copy of each of these results from its holders (a worker that is retiring) and keep it;
   * answer with {@link SchedulerProtocol.ReplicasFetched}.
   */
  record FetchReplicas(List<TaskAssignment.Input> results) implements Command {
    public FetchReplicas {
      results = List.copyOf(results);
    }
  }

  /**
   * The scheduler's answer to {@link SchedulerProtocol.RetireWorker}: the worker may leave.
   *
   * @param handed results copied to other workers
   * @param handedBytes their size
   * @param left results only this worker holds that are still needed: computed again once it is gone
   * @param alone true if no other worker could take its results
   * @param millis how long the hand-off took, on the scheduler's clock
   */
  record Retired(int handed, long handedBytes, int left, boolean alone, long millis) implements Command {
    /** The one line a retirement is logged with. */
    public String describe(String worker) {
      if (alone) {
        return "worker " + worker + " retiring: it is the only worker, so nothing can be handed off"
            + (left > 0 ? "; " + results(left) + " only it holds " + (left == 1 ? "is" : "are")
                + " computed again when a worker joins" : "");
      }
      return "worker " + worker + " retiring: handed " + handed + " results (" + handedBytes + " bytes) to others in "
          + millis + " ms" + (left > 0 ? "; " + results(left) + " only it held " + (left == 1 ? "is" : "are")
              + " computed again" : "");
    }

    private static String results(int n) {
      return n + (n == 1 ? " result" : " results");
    }
  }

  /** Messages to a worker's data endpoint: peer-to-peer result transfer. */
  interface DataCommand extends CborSerializable {}

  /** Send me these results. */
  record FetchData(long requestId, List<Long> taskIds, ActorRef<DataFetched> replyTo) implements DataCommand {
    public FetchData {
      taskIds = List.copyOf(taskIds);
    }
  }

  /** The answer to {@link FetchData}: the results this worker had, and the ids it did not have. */
  record DataFetched(long requestId, String peer, List<DataItem> items, List<Long> missing) implements DataCommand {
    public DataFetched {
      items = List.copyOf(items);
      missing = List.copyOf(missing);
    }
  }

  /** One result in transit. */
  record DataItem(long taskId, JsonNode value, long nbytes) implements CborSerializable {}
}
