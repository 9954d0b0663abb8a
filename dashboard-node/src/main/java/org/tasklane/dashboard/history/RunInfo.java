package org.tasklane.dashboard.history;

import java.util.List;

/**
 * One run (one graph) in the history, as the runs page lists it.
 *
 * @param id the run's id: its file's name without the extension, safe in a URL and a path
 * @param graphId the scheduler's graph id
 * @param name the graph's name (user input: text only)
 * @param state {@code running} (still being written, or cut off), {@code done} or {@code cancelled}
 * @param submittedMillis when the scheduler accepted it (epoch milliseconds)
 * @param finishedMillis when it finished; 0 if the log has no end
 * @param tasks how many tasks the graph has
 * @param erred how many erred
 * @param recordedTasks task records in the log
 * @param workers the workers that ran its tasks, sorted
 * @param partial true if records are missing (the dashboard joined late, missed batches, stopped
 *     during the run, or the file was cut short)
 * @param partialReason why, in one line; "" if complete
 * @param bytes the file's size
 */
public record RunInfo(
    String id,
    String graphId,
    String name,
    String state,
    long submittedMillis,
    long finishedMillis,
    int tasks,
    int erred,
    long recordedTasks,
    List<String> workers,
    boolean partial,
    String partialReason,
    long bytes) {
  public RunInfo {
    workers = List.copyOf(workers);
  }
}
