package org.tasklane.dashboard.history;

import java.util.List;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.api.GroupProgress;

/**
 * One record of a run's event log (one file per run, in the history folder), in the order the
 * dashboard wrote them. Everything a replay, a report or a trace of the run needs is in these
 * records; nothing is read from a live cluster. {@code timeMillis} is when the dashboard wrote the
 * record (epoch milliseconds); task times inside are the workers' (epoch microseconds).
 */
public sealed interface HistoryRecord {
  long timeMillis();

  /**
   * The first record of every run file.
   *
   * @param graph the graph as the scheduler first described it to this dashboard (every group)
   * @param incarnation the scheduler incarnation that ran it
   * @param joinedLate true if the dashboard first heard of the graph from a snapshot, after it had
   *     started: the tasks that finished before are missing, and the run is partial
   */
  record RunStarted(long timeMillis, DashboardProtocol.GraphEvent graph, String incarnation, boolean joinedLate)
      implements HistoryRecord {}

  /** The graph's groups whose counts changed (absolute counts), its state and its erred count. */
  record Progress(long timeMillis, DashboardProtocol.GraphEvent graph) implements HistoryRecord {}

  /** Tasks of the run that finished (ran to memory or erred on a worker), as the scheduler published them. */
  record Tasks(long timeMillis, List<DashboardProtocol.TaskEvent> tasks) implements HistoryRecord {
    public Tasks {
      tasks = List.copyOf(tasks);
    }
  }

  /** What the workers said about themselves (their metrics messages) while the run ran. */
  record Workers(long timeMillis, List<DashboardProtocol.WorkerMetrics> metrics) implements HistoryRecord {
    public Workers {
      metrics = List.copyOf(metrics);
    }
  }

  /**
   * Records were lost (the scheduler's feed dropped tasks, the dashboard missed batches, or the
   * writer's queue overflowed): the run is partial from here on.
   *
   * @param missedTasks how many task records are known to be missing (0 if unknown)
   * @param reason one line saying what was lost and why
   */
  record Gap(long timeMillis, long missedTasks, String reason) implements HistoryRecord {}

  /**
   * The run's whole state at one moment, written every few seconds so that a replay can seek to a
   * time by starting at the checkpoint before it instead of at the beginning.
   *
   * @param groups every group of the graph, absolute counts
   * @param workers each worker's latest metrics
   * @param tasksSoFar task records written before this checkpoint
   */
  record Checkpoint(
      long timeMillis, List<GroupProgress> groups, List<DashboardProtocol.WorkerMetrics> workers, long tasksSoFar)
      implements HistoryRecord {
    public Checkpoint {
      groups = List.copyOf(groups);
      workers = List.copyOf(workers);
    }
  }

  /** The last record of a complete run: the graph as it finished (state {@code done} or {@code cancelled}). */
  record RunFinished(long timeMillis, DashboardProtocol.GraphEvent graph) implements HistoryRecord {}
}
