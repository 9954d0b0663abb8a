package org.tasklane.scheduler;

import org.tasklane.protocol.TaskReport;

/**
 * What the scheduler says about a task's attempts: the error texts of failed attempts that are
 * retried, of the last one, and of a task whose workers kept dying under it. Pure text, no state.
 */
final class Attempts {
  private Attempts() {}

  /** {@code attempt 1 of 3 failed, retrying: ERROR}. */
  static String retrying(int attempt, int retries, String error) {
    return "attempt " + attempt + " of " + (retries + 1) + " failed, retrying: " + error;
  }

  /** The error of the last allowed attempt: {@code attempt 3 of 3 failed: ERROR}; just ERROR if none was retried. */
  static String lastAttempt(int attempt, int retries, String error) {
    return retries == 0 ? error : "attempt " + attempt + " of " + (retries + 1) + " failed: " + error;
  }

  /** {@code worker died while running KEY 3 times (last: WORKER)}. */
  static String poisoned(String key, int deaths, String lastWorker) {
    return "worker died while running " + key + " " + deaths + " times (last: " + lastWorker + ")";
  }

  /** The report as the task stream shows it: with the scheduler's account of the attempt as its error. */
  static TaskReport withError(TaskReport r, String error) {
    return new TaskReport(r.taskId(), r.outcome(), r.nbytes(), r.startMicros(), r.stopMicros(), r.thread(),
        r.transfers(), error, r.missing(), r.trace());
  }
}
