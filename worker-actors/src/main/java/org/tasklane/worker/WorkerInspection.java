package org.tasklane.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.WorkerProtocol;
import org.tasklane.worker.inspect.InspectSettings;
import org.tasklane.worker.inspect.LogBuffer;
import org.tasklane.worker.inspect.RateLimit;
import org.tasklane.worker.inspect.TaskThreads;
import org.tasklane.worker.inspect.ThreadDumps;

/** The worker's answers about itself up close: what runs on its threads now, its log lines, a thread dump. */
final class WorkerInspection {
  /** Running tasks in one answer, at most. */
  static final int MAX_RUNNING = 1000;

  private WorkerInspection() {}

  /** The tasks on these lanes now, longest running first. */
  static WorkerProtocol.RunningTasks runningTasks(String worker, List<TaskThreads.Lane> lanes, int queued) {
    List<WorkerProtocol.RunningTask> running = new ArrayList<>();
    for (TaskThreads.Lane lane : lanes) {
      TaskAssignment task = lane.task();
      if (task != null) {
        running.add(new WorkerProtocol.RunningTask(task.taskId(), task.key(), lane.thread.getName(), lane.startMicros()));
      }
    }
    running.sort(Comparator.comparingLong(WorkerProtocol.RunningTask::startMicros)
        .thenComparing(WorkerProtocol.RunningTask::thread));
    if (running.size() > MAX_RUNNING) {
      running = running.subList(0, MAX_RUNNING);
    }
    return new WorkerProtocol.RunningTasks(worker, System.currentTimeMillis(), queued, running);
  }

  /** Its log lines after the request's seq, or a refusal if it keeps none ({@code logs} null). */
  static WorkerProtocol.LogsReply logs(String worker, LogBuffer logs, WorkerProtocol.GetLogs request) {
    if (logs == null) {
      return new WorkerProtocol.Refused(
          "worker " + worker + " keeps no log lines (tasklane.worker.inspect.logs = off)", 0);
    }
    long last = logs.lastSeq();
    long after = request.afterSeq() > last ? 0 : request.afterSeq(); // asked of an earlier run of this name
    return new WorkerProtocol.Logs(worker, logs.last(request.maxLines(), after), logs.dropped(), last);
  }

  /** A dump of its task threads, or a refusal saying when to ask again if one was taken too recently. */
  static WorkerProtocol.ThreadDumpReply dump(
      String worker, List<TaskThreads.Lane> lanes, RateLimit limit, InspectSettings settings) {
    long wait = limit.tryTake(System.nanoTime());
    if (wait > 0) {
      java.time.Duration after = java.time.Duration.ofMillis(Math.max(1, (wait + 999_999) / 1_000_000));
      return new WorkerProtocol.Refused("worker " + worker + " takes one thread dump per "
          + RateLimit.readable(limit.interval()) + "; try again in " + RateLimit.readable(after), after.toMillis());
    }
    return ThreadDumps.take(worker, lanes, settings.dumpMaxFrames(), settings.dumpMaxChars());
  }
}
