package org.tasklane.launcher;

import picocli.CommandLine.Option;

/**
 * {@code --no-worker-logs}: workers' log lines stay off the dashboard (logs can hold secrets a task
 * printed). On a dashboard (or a scheduler's embedded one) the worker page's log answers 403 and
 * the dashboard never asks a worker for its lines; on a worker, it keeps none and sends none.
 */
final class WorkerLogsOption {
  @Option(names = "--no-worker-logs",
      description = "Keep workers' log lines off the dashboard: logs can hold secrets a task printed.")
  boolean noWorkerLogs;

  /** On a dashboard's configuration: {@code tasklane.dashboard.worker-logs = off}. */
  void applyToDashboard(NodeConfig nc) {
    if (noWorkerLogs) {
      nc.set("tasklane.dashboard.worker-logs", false);
    }
  }

  /** On a worker's configuration: {@code tasklane.worker.inspect.logs = off}. */
  void applyToWorker(NodeConfig nc) {
    if (noWorkerLogs) {
      nc.set("tasklane.worker.inspect.logs", false);
    }
  }
}
