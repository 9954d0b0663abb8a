package org.tasklane.dashboard.history;

/**
 * The span of a run a replay moves over (epoch ms): from its submission (or its first record, if
 * that is earlier) to its finish or its last record, whichever is later (the dashboard writes the
 * last record after the scheduler's finish; a run cut short has only its last record).
 */
public record RunBounds(long start, long end) {

  public static RunBounds of(RunRecording recording) {
    long[] first = {Long.MAX_VALUE};
    long[] last = {Long.MIN_VALUE};
    // from the last checkpoint on: the run's first record, then the last ones
    recording.forEachUpTo(Long.MAX_VALUE, r -> {
      first[0] = Math.min(first[0], r.timeMillis());
      last[0] = Math.max(last[0], r.timeMillis());
    });
    RunInfo info = recording.info();
    long start = info.submittedMillis() > 0 ? Math.min(info.submittedMillis(), first[0]) : first[0];
    long end = Math.max(info.finishedMillis(), last[0]);
    if (start == Long.MAX_VALUE) {
      start = Math.max(0, end); // no records: an empty span
    }
    return new RunBounds(start, Math.max(start, end));
  }

  /** {@code t} moved into the span. */
  public long clamp(long t) {
    return Math.max(start, Math.min(end, t));
  }
}
