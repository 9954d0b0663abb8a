package org.tasklane.dashboard.history;

import java.util.List;

/**
 * The writer's note on a run, for the runs list only (not a {@link HistoryRecord}: replays never
 * see it): the workers that ran the run's tasks so far, sorted. Written with each checkpoint and
 * before {@link HistoryRecord.RunFinished}, so that listing a run needs no task frame decoded.
 */
record RunSummary(List<String> workers) {
  RunSummary {
    workers = List.copyOf(workers);
  }
}
