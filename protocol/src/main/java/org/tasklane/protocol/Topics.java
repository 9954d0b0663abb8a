package org.tasklane.protocol;

/** Names of the distributed pub-sub topics ({@code org.apache.pekko.actor.typed.pubsub.Topic}). */
public final class Topics {
  private Topics() {}

  /** {@link DashboardProtocol.SchedulerEvents}, published by the scheduler about every 50 ms while anything changes. */
  public static final String SCHEDULER_EVENTS = "tasklane-scheduler-events";

  /** {@link DashboardProtocol.WorkerMetrics}, published by every worker about twice a second. */
  public static final String WORKER_METRICS = "tasklane-worker-metrics";

  /** {@link DashboardProtocol.WorkerProfile}, published by every profiling worker about every 2 s while it samples. */
  public static final String WORKER_PROFILES = "tasklane-worker-profiles";
}
