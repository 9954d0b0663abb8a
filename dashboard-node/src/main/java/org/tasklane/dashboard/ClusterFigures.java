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
 */
public record ClusterFigures(
    List<DashboardView.Group> groups, List<DashboardView.Worker> workers, long tasksFinished, long tasksErred,
    long transferBytes) {
  public ClusterFigures {
    groups = List.copyOf(groups);
    workers = List.copyOf(workers);
  }
}
