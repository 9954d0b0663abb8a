package org.tasklane.scheduler;

/**
 * How much the {@link TaskTable} checks and remembers of itself.
 *
 * @param validate check every invariant of the table after events ({@code tasklane.scheduler.validate});
 *     each check walks every task held, so off in production, on in tests
 * @param validateTasksPerEvent what validation may cost per event on average, in tasks walked
 *     ({@code tasklane.scheduler.validate-tasks-per-event}): while the table holds at most this many
 *     tasks it is validated after every event, with more after every {@code held / this}-th one,
 *     so that a test with a graph of 100,000 tasks does not take hours
 * @param transitionLog how many of the latest task transitions the table keeps for the explainer and
 *     tests ({@code tasklane.scheduler.transition-log}); 0 keeps none
 */
public record TableSettings(boolean validate, int validateTasksPerEvent, int transitionLog) {
  public static final TableSettings DEFAULT = new TableSettings(false, 10_000, 10_000);
  /** What unit tests use: every event validated, however large the table. */
  public static final TableSettings CHECKED = new TableSettings(true, Integer.MAX_VALUE, 10_000);

  public TableSettings {
    if (validateTasksPerEvent < 1) {
      throw new IllegalArgumentException(
          "tasklane.scheduler.validate-tasks-per-event must be at least 1, got " + validateTasksPerEvent);
    }
    if (transitionLog < 0 || transitionLog > 10_000_000) {
      throw new IllegalArgumentException(
          "tasklane.scheduler.transition-log must be between 0 and 10000000, got " + transitionLog);
    }
  }

  /** Whether to validate now, {@code eventsSince} events after the last validation, with {@code held} tasks. */
  boolean validateNow(long eventsSince, int held) {
    return validate && eventsSince * validateTasksPerEvent >= held;
  }
}
