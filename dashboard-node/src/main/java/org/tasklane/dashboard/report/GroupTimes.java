package org.tasklane.dashboard.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;
import org.tasklane.protocol.Transfer;

/**
 * Where each task group's time went, summed over every recorded run of its tasks (retries included):
 * <ul>
 *   <li>compute: the run's own time, start to stop;
 *   <li>transfer: the time its inputs were moving from peers (overlapping fetches counted once);
 *   <li>waiting: from the moment all its inputs were done (the last input task's stop, by each
 *       input's last successful run; for a task without inputs, the graph's submission) to its start,
 *       minus the transfer time in that span: time spent queued for a thread or being scheduled.
 *       Inputs missing from the records are left out of that moment.
 * </ul>
 */
public final class GroupTimes {
  /** One group's figures (microseconds). */
  public record Group(String name, long runs, long erred, long computeMicros, long transferMicros, long waitingMicros) {}

  private GroupTimes() {}

  /** Every group, in the order its first run was recorded. */
  public static List<Group> of(RunIndex run) {
    Map<String, long[]> sums = new LinkedHashMap<>();
    long submitted = run.submittedMicros();
    for (TaskEvent t : run.runs()) {
      long[] s = sums.computeIfAbsent(String.valueOf(t.group()), g -> new long[5]);
      s[0]++;
      if ("erred".equals(t.status())) {
        s[1]++;
      }
      s[2] += Math.max(0, t.stopMicros() - t.startMicros());
      s[3] += union(t.transfers(), Long.MIN_VALUE, Long.MAX_VALUE);
      long ready = readyAt(run, t, submitted);
      if (ready > 0 && ready < t.startMicros()) {
        s[4] += Math.max(0, t.startMicros() - ready - union(t.transfers(), ready, t.startMicros()));
      }
    }
    List<Group> groups = new ArrayList<>();
    sums.forEach((name, s) -> groups.add(new Group(name, s[0], s[1], s[2], s[3], s[4])));
    return groups;
  }

  /** When all of a task's recorded inputs were done, or the submission for a task without inputs (0: unknown). */
  static long readyAt(RunIndex run, TaskEvent t, long submitted) {
    if (t.deps().isEmpty()) {
      return submitted;
    }
    long ready = 0;
    for (Long dep : t.deps()) {
      TaskEvent input = run.lastGood().get(dep);
      if (input != null) {
        ready = Math.max(ready, Math.min(input.stopMicros(), t.startMicros()));
      }
    }
    return ready;
  }

  /** The length of the union of the transfers' intervals, clipped to [from, to]. */
  static long union(List<Transfer> transfers, long from, long to) {
    if (transfers.isEmpty()) {
      return 0;
    }
    long[][] spans = new long[transfers.size()][];
    for (int i = 0; i < spans.length; i++) {
      Transfer x = transfers.get(i);
      spans[i] = new long[] {Math.max(from, x.startMicros()), Math.min(to, x.stopMicros())};
    }
    java.util.Arrays.sort(spans, (a, b) -> Long.compare(a[0], b[0]));
    long total = 0;
    long curStart = Long.MIN_VALUE;
    long curEnd = Long.MIN_VALUE;
    for (long[] s : spans) {
      if (s[1] <= s[0]) {
        continue;
      }
      if (s[0] > curEnd) {
        total += curEnd - curStart;
        curStart = s[0];
        curEnd = s[1];
      } else {
        curEnd = Math.max(curEnd, s[1]);
      }
    }
    return total + (curEnd - curStart);
  }
}
