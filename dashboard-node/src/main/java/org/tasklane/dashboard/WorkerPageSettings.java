package org.tasklane.dashboard;

import com.typesafe.config.Config;

/**
 * What the worker page ({@code workers/NAME}) may show, from {@code tasklane.dashboard}.
 *
 * @param logs {@code worker-logs}: show workers' log lines (off: {@code logs.json} answers 403 and
 *     the dashboard never asks a worker for them; logs can hold secrets a task printed)
 */
public record WorkerPageSettings(boolean logs) {
  public static final String WORKER_LOGS = "tasklane.dashboard.worker-logs";

  public static WorkerPageSettings fromConfig(Config config) {
    return new WorkerPageSettings(config.getBoolean(WORKER_LOGS));
  }
}
