package org.tasklane.scheduler;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The scheduler's settings, from the {@code tasklane.scheduler} block of the configuration.
 *
 * @param policy how deep workers are fed, and how many worker deaths a task may cause before it errs
 *     ({@code allowed-failures})
 * @param graphRetention how long a finished graph (and its wanted results) is kept for its client
 * @param maxRetainedGraphs how many finished graphs are kept at most; the oldest go first
 * @param maxRunningGraphs how many graphs may run at once; more are refused until one finishes
 * @param maxTasks how many tasks the held graphs (running and kept) may have between them
 * @param apiAddress the interface the client API binds to
 * @param apiPort the client API's port (0 for any free port)
 * @param maxGraphBytes the largest graph body the API accepts
 * @param askTimeout how long the API waits for the scheduler and workers
 * @param dashboardFeedMaxPendingTasks the most finished-task records held for dashboards between two
 *     publish ticks; past it the oldest are dropped (and counted as dropped)
 * @param dashboardFeedWorkersInterval the workers list goes to dashboards at most this often while only
 *     their figures change (a worker joining, leaving, retiring or pausing goes at the next publish)
 * @param table whether the task table validates itself after events, at what cost, and how many
 *     transitions it keeps ({@code validate}, {@code validate-tasks-per-event}, {@code transition-log})
 */
public record SchedulerSettings(
    TablePolicy policy,
    Duration graphRetention,
    int maxRetainedGraphs,
    int maxRunningGraphs,
    long maxTasks,
    String apiAddress,
    int apiPort,
    long maxGraphBytes,
    Duration askTimeout,
    int dashboardFeedMaxPendingTasks,
    TableSettings table,
    Duration dashboardFeedWorkersInterval) {

  /** With the workers list sent at most once a second ({@link #DEFAULT_WORKERS_INTERVAL}). */
  public SchedulerSettings(TablePolicy policy, Duration graphRetention, int maxRetainedGraphs,
      int maxRunningGraphs, long maxTasks, String apiAddress, int apiPort, long maxGraphBytes, Duration askTimeout,
      int dashboardFeedMaxPendingTasks, TableSettings table) {
    this(policy, graphRetention, maxRetainedGraphs, maxRunningGraphs, maxTasks, apiAddress, apiPort, maxGraphBytes,
        askTimeout, dashboardFeedMaxPendingTasks, table, DEFAULT_WORKERS_INTERVAL);
  }

  public static final Duration DEFAULT_WORKERS_INTERVAL = Duration.ofSeconds(1);

  /** With the table's default checks ({@link TableSettings#DEFAULT}). */
  public SchedulerSettings(TablePolicy policy, Duration graphRetention, int maxRetainedGraphs,
      int maxRunningGraphs, long maxTasks, String apiAddress, int apiPort, long maxGraphBytes, Duration askTimeout,
      int dashboardFeedMaxPendingTasks) {
    this(policy, graphRetention, maxRetainedGraphs, maxRunningGraphs, maxTasks, apiAddress, apiPort, maxGraphBytes,
        askTimeout, dashboardFeedMaxPendingTasks, TableSettings.DEFAULT);
  }

  public SchedulerSettings {
    if (dashboardFeedMaxPendingTasks < 1) {
      throw new IllegalArgumentException(
          "tasklane.scheduler.dashboard-feed.max-pending-tasks must be at least 1, got " + dashboardFeedMaxPendingTasks);
    }
    if (dashboardFeedWorkersInterval.isNegative() || dashboardFeedWorkersInterval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("tasklane.scheduler.dashboard-feed.workers-interval must be between 0 and 1m, got "
          + dashboardFeedWorkersInterval);
    }
  }

  /**
   * Measured: a task costs the scheduler about 0.3 KiB in its table plus about as much for its
   * spec, and parsing the graph's JSON needs more for a moment; 2 KiB a task leaves room for that.
   */
  static final long HEAP_BYTES_PER_TASK = 2048;

  /** {@code auto}: as many tasks as the heap holds at {@link #HEAP_BYTES_PER_TASK}; else a number. */
  static long maxTasks(String setting) {
    if (setting.equals("auto")) {
      return Math.max(1000, Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_TASK);
    }
    try {
      long n = Long.parseLong(setting.replace("_", ""));
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the error
    }
    throw new IllegalArgumentException(
        "tasklane.scheduler.max-tasks must be \"auto\" or a positive number, not \"" + setting + "\"");
  }

  public static SchedulerSettings fromConfig(Config root) {
    Config c = root.getConfig("tasklane.scheduler");
    return new SchedulerSettings(
        new TablePolicy(
            c.getDuration("worker-queue-target").toNanos() / 1000, c.getInt("max-queued-per-thread"),
            c.getInt("allowed-failures"), c.getBoolean("root-queuing"), c.getDouble("worker-saturation")),
        c.getDuration("graph-retention"),
        c.getInt("max-retained-graphs"),
        c.getInt("max-running-graphs"),
        maxTasks(c.getString("max-tasks")),
        c.getString("api.address"),
        c.getInt("api.port"),
        c.getBytes("api.max-graph-bytes"),
        c.getDuration("api.ask-timeout"),
        c.getInt("dashboard-feed.max-pending-tasks"),
        new TableSettings(c.getBoolean("validate"), c.getInt("validate-tasks-per-event"),
            c.getInt("transition-log")),
        c.getDuration("dashboard-feed.workers-interval"));
  }
}
