package org.tasklane.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.WorkerProtocol;
import org.tasklane.worker.inspect.TaskThreads;

/** The worker's answers about itself that need more than one line: what runs on its threads now. */
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
}
