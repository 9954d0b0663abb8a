package org.tasklane.dashboard;

import java.util.List;

/**
 * The cluster as {@code /metrics} shows it, taken from the {@link DashboardState} at one instant by
 * the {@link Dashboard} actor (so that the scrape, on another thread, reads only immutable values).
 *
 * @param groups every group, in submission order
 * @param workers the worker table
 * @param tasksFinished tasks that finished (in memory or erred) among the task events this dashboard
 *     received since it started, each task once
 * @param tasksErred those of them that erred
 * @param transferBytes the bytes of those tasks' inputs fetched from peers
 * @param received what this dashboard received since it started
 */
public record ClusterFigures(
    List<DashboardView.Group> groups, List<DashboardView.Worker> workers, long tasksFinished, long tasksErred,
    long transferBytes, Received received) {
  public ClusterFigures {
    groups = List.copyOf(groups);
    workers = List.copyOf(workers);
  }

  /**
   * Messages this dashboard received since it started.
   *
   * @param schedulerBatches the scheduler's batches of events (those already seen included)
   * @param snapshots the scheduler's snapshots (asked for when joining and after a gap)
   * @param workerMetrics workers' figures (each worker about twice a second)
   * @param gaps batches after which one or more were missing (or from a new scheduler incarnation)
   */
  public record Received(long schedulerBatches, long snapshots, long workerMetrics, long gaps) {
    public static final Received NONE = new Received(0, 0, 0, 0);
  }
}
