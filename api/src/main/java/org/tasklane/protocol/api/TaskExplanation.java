package org.tasklane.protocol.api;

import java.util.List;
import org.tasklane.protocol.CborSerializable;

/**
 * One task's state and why, as the scheduler explains it on request
 * ({@code GET /api/v1/graphs/{id}/tasks/{key}/explain}, and the dashboard's {@code api/v1/explain.json}).
 * Computed from the scheduler's table without changing it. Keys, errors and traces are user input:
 * shown as text only.
 *
 * @param graphId its graph
 * @param key its key
 * @param group its group
 * @param function the function it calls
 * @param state {@code released}, {@code waiting}, {@code queued}, {@code processing}, {@code memory} or {@code erred}
 * @param summary one sentence: the state and why (where it ran, or why it is not running yet)
 * @param reasons the details behind the summary, one line each (at most {@link #MAX_REASONS})
 * @param worker the worker it is assigned to (processing), else null
 * @param holders the workers that hold its result (memory)
 * @param nbytes its result's size (memory)
 * @param inputs its inputs, at most {@link #MAX_INPUTS}, those not in memory first
 * @param inputsNotListed how many more inputs it has
 * @param inputBytes the size of its inputs that are in memory, all of them
 * @param dependents how many tasks take its result
 * @param attempts how many times a worker reported it done (ok or erred)
 * @param failedAttempts attempts whose function threw or timed out
 * @param retries how many times it may be run again after a failed attempt
 * @param deaths workers that died while it was assigned to them
 * @param allowedFailures deaths at which it errs instead of being assigned again
 * @param timeoutMillis how long one attempt may run, 0 for no limit
 * @param submittedMillis when its graph was accepted (epoch milliseconds)
 * @param error its error (erred), else null
 * @param trace the stack trace of what its function threw, if the scheduler kept it, else null
 * @param lastRun its last run on a worker, if the scheduler still has its record, else null
 */
public record TaskExplanation(
    String graphId,
    String key,
    String group,
    String function,
    String state,
    String summary,
    List<String> reasons,
    String worker,
    List<String> holders,
    long nbytes,
    List<Input> inputs,
    int inputsNotListed,
    long inputBytes,
    int dependents,
    int attempts,
    int failedAttempts,
    int retries,
    int deaths,
    int allowedFailures,
    long timeoutMillis,
    long submittedMillis,
    String error,
    String trace,
    Run lastRun)
    implements CborSerializable {
  /** Inputs listed, at most. */
  public static final int MAX_INPUTS = 50;
  /** Reasons given, at most. */
  public static final int MAX_REASONS = 20;
  /** Holders listed (of the task's result or of an input), at most. */
  public static final int MAX_HOLDERS = 10;

  public TaskExplanation {
    reasons = List.copyOf(reasons);
    holders = List.copyOf(holders);
    inputs = List.copyOf(inputs);
  }

  /**
   * One input.
   *
   * @param key its key
   * @param state its state
   * @param nbytes its result's size (0 unless in memory)
   * @param holders the workers that hold it (at most {@link #MAX_HOLDERS})
   * @param worker the worker it is assigned to, if processing, else null
   */
  public record Input(String key, String state, long nbytes, List<String> holders, String worker)
      implements CborSerializable {
    public Input {
      holders = List.copyOf(holders);
    }
  }

  /**
   * One run of the task on a worker.
   *
   * @param worker the worker
   * @param thread its thread
   * @param startMillis when it started, after its inputs arrived (epoch milliseconds)
   * @param stopMillis when it stopped
   * @param status {@code memory} or {@code erred}
   * @param transfers how many inputs it fetched from peers
   * @param transferBytes their size
   * @param transferMillis the time from the first fetch's start to the last one's end
   */
  public record Run(
      String worker, String thread, double startMillis, double stopMillis, String status, int transfers,
      long transferBytes, double transferMillis)
      implements CborSerializable {}
}
