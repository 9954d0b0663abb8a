package org.tasklane.scheduler;

import org.tasklane.protocol.TaskReport;

/** Told by the {@link TaskTable} of every task that ran on a worker (for the dashboard's task stream). */
public interface TaskObserver {
  TaskObserver NONE = (task, worker, report) -> { };

  void taskRan(TaskRecord task, String worker, TaskReport report);
}
