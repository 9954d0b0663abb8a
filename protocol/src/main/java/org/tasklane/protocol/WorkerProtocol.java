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
   * @param figures its figures, as it publishes them to the dashboard
   * @param heldTaskIds the ids of the results it holds (at most 1000, for tests and debugging)
   */
  record WorkerStatus(WorkerInfo info, DashboardProtocol.WorkerFigures figures, List<Long> heldTaskIds)
      implements CborSerializable {
    public WorkerStatus {
      figures = figures == null ? DashboardProtocol.WorkerFigures.NONE : figures;
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

  /**
   * An assignment too large for Artery's ordinary frames (a task of many inputs, or large
   * arguments), sent to the worker's data endpoint, whose path is on the large-message lane, which
   * hands it to its worker.
   */
  record LargeAssignment(AssignTasks assignment) implements DataCommand {}

  /** The answer to {@link FetchData}: the results this worker had, and the ids it did not have. */
  record DataFetched(long requestId, String peer, List<DataItem> items, List<Long> missing) implements DataCommand {
    public DataFetched {
      items = List.copyOf(items);
      missing = List.copyOf(missing);
    }
  }

  /** One result in transit. */
  record DataItem(long taskId, JsonNode value, long nbytes) implements CborSerializable {}

  // ---- a worker up close: what a dashboard asks a worker directly (read only, bounded) ----

  /** What runs on the worker's task threads now; answered with {@link RunningTasks}. */
  record GetRunningTasks(ActorRef<RunningTasks> replyTo) implements Command {}

  /**
   * The tasks running on a worker's threads at {@code timeMillis} (its clock).
   *
   * @param queued tasks assigned and not yet running (including those fetching inputs)
   * @param tasks one per busy task thread, longest running first (at most 1,000)
   */
  record RunningTasks(String worker, long timeMillis, int queued, List<RunningTask> tasks) implements CborSerializable {
    public RunningTasks {
      tasks = List.copyOf(tasks);
    }
  }

  /** One task on one thread: {@code key} is user input (text only); {@code startMicros} epoch microseconds. */
  record RunningTask(long taskId, String key, String thread, long startMicros) implements CborSerializable {}

  /**
   * The worker's last log lines after {@code afterSeq}, oldest first: at most {@code maxLines} (the
   * newest; and at most what its buffer holds, {@code tasklane.worker.inspect.log-lines} /
   * {@code log-bytes}). An {@code afterSeq} beyond the worker's last line (asked of an earlier run
   * of a worker of that name) counts as 0. Answered with {@link Logs}, or {@link Refused} if the
   * worker keeps no log lines ({@code tasklane.worker.inspect.logs = off}).
   */
  record GetLogs(long afterSeq, int maxLines, ActorRef<LogsReply> replyTo) implements Command {}

  /** The answer to {@link GetLogs}: {@link Logs} or {@link Refused}. */
  interface LogsReply extends CborSerializable {}

  /**
   * Log lines of one worker, oldest first.
   *
   * @param dropped lines its buffer dropped (the oldest) since it started, to stay within its bounds
   * @param lastSeq the seq of its newest line (0 before the first)
   */
  record Logs(String worker, List<LogLine> lines, long dropped, long lastSeq) implements LogsReply {
    public Logs {
      lines = List.copyOf(lines);
    }
  }

  /**
   * One log line (every text is user input: text only).
   *
   * @param seq 1, 2, 3, ... since the worker started
   * @param level {@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG}, {@code TRACE}
   * @param task the key of the task its thread ran when it was logged, or null
   * @param message the formatted message, with an exception's type, message and first frames
   */
  record LogLine(long seq, long timeMillis, String level, String logger, String thread, String task, String message)
      implements CborSerializable {}

  /**
   * A thread dump of the worker's task threads; answered with {@link ThreadDump}, or with
   * {@link Refused} within {@code tasklane.worker.inspect.dump-interval} of the last one.
   */
  record GetThreadDump(ActorRef<ThreadDumpReply> replyTo) implements Command {}

  /** The answer to {@link GetThreadDump}: {@link ThreadDump} or {@link Refused}. */
  interface ThreadDumpReply extends CborSerializable {}

  /**
   * The stacks of a worker's task threads at {@code timeMillis}.
   *
   * @param threads one per task thread, busy ones first
   * @param otherThreads the process's other live threads (not in the dump)
   * @param truncated true if frames or threads were left out to stay within the dump's bounds
   */
  record ThreadDump(String worker, long timeMillis, List<ThreadStack> threads, int otherThreads, boolean truncated)
      implements ThreadDumpReply {
    public ThreadDump {
      threads = List.copyOf(threads);
    }
  }

  /**
   * One thread's stack, innermost frame first.
   *
   * @param state its {@link Thread.State} name
   * @param lock what it waits for, or null
   * @param task the key of the task it runs, or null if it waits for one
   * @param taskStartMicros when that task started (epoch microseconds), 0 without one
   * @param frames {@code class.method(File.java:12)}
   * @param moreFrames frames left out below the last one shown
   */
  record ThreadStack(
      String name, long id, String state, String lock, String task, long taskStartMicros, List<String> frames,
      int moreFrames)
      implements CborSerializable {
    public ThreadStack {
      frames = List.copyOf(frames);
    }
  }

  /**
   * A request the worker will not answer now, in one line.
   *
   * @param retryAfterMillis when asking again may succeed; 0 if it will not
   */
  record Refused(String reason, long retryAfterMillis) implements LogsReply, ThreadDumpReply {}
}
