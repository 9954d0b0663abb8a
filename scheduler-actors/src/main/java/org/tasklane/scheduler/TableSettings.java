package org.tasklane.scheduler;

/**
 * How much the {@link TaskTable} checks and remembers of itself.
 *
 * @param validate check every invariant of the table after every event ({@code tasklane.scheduler.validate});
 *     costs a walk over every task held, so off in production, on in tests
 * @param transitionLog how many of the latest task transitions the table keeps for the explainer and
 *     tests ({@code tasklane.scheduler.transition-log}); 0 keeps none
 */
public record TableSettings(boolean validate, int transitionLog) {
  public static final TableSettings DEFAULT = new TableSettings(false, 10_000);
  /** What unit tests use: every event validated. */
  public static final TableSettings CHECKED = new TableSettings(true, 10_000);

  public TableSettings {
    if (transitionLog < 0 || transitionLog > 10_000_000) {
      throw new IllegalArgumentException(
          "tasklane.scheduler.transition-log must be between 0 and 10000000, got " + transitionLog);
    }
  }
}
