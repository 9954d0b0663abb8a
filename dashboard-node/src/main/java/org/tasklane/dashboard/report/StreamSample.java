package org.tasklane.dashboard.report;

import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;

/**
 * Which task runs the report's task stream embeds. Up to {@link #MAX_DRAWN} runs: all of them.
 * Above: the {@link #SLOWEST} slowest, the runs on the critical path, up to {@link #MAX_ERRED} erred
 * runs, and an even sample of the rest (every k-th run in the order recorded) up to the limit, so
 * the page draws at most about {@code MAX_DRAWN + SLOWEST + MAX_ERRED + path} runs and says
 * "N of M tasks drawn".
 */
public final class StreamSample {
  public static final int MAX_DRAWN = 200_000;
  static final int SLOWEST = 20;
  static final int MAX_ERRED = 10_000;

  private final boolean[] keep;
  private final int kept;

  private StreamSample(boolean[] keep, int kept) {
    this.keep = keep;
    this.kept = kept;
  }

  public boolean sampled() {
    return kept < keep.length;
  }

  public boolean keeps(int runIndex) {
    return keep[runIndex];
  }

  public int kept() {
    return kept;
  }

  public static StreamSample of(List<TaskEvent> runs, CriticalPath path, RunIndex index) {
    return of(runs, path, index, MAX_DRAWN);
  }

  static StreamSample of(List<TaskEvent> runs, CriticalPath path, RunIndex index, int limit) {
    boolean[] keep = new boolean[runs.size()];
    if (runs.size() <= limit) {
      java.util.Arrays.fill(keep, true);
      return new StreamSample(keep, runs.size());
    }
    Set<TaskEvent> onPath = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (CriticalPath.Step s : path.steps()) {
      if (s.kind() == CriticalPath.Kind.TASK) {
        onPath.add(index.lastGood().get(s.taskId()));
      }
    }
    for (int i : slowest(runs, SLOWEST)) {
      keep[i] = true;
    }
    int erred = 0;
    long step = (runs.size() + limit - 1) / limit;
    for (int i = 0; i < runs.size(); i++) {
      TaskEvent t = runs.get(i);
      if (onPath.contains(t)) {
        keep[i] = true;
      } else if ("erred".equals(t.status()) && erred < MAX_ERRED) {
        keep[i] = true;
        erred++;
      } else if (i % step == 0) {
        keep[i] = true;
      }
    }
    int kept = 0;
    for (boolean k : keep) {
      kept += k ? 1 : 0;
    }
    return new StreamSample(keep, kept);
  }

  /** The indexes of the n longest runs, longest first. */
  static int[] slowest(List<TaskEvent> runs, int n) {
    Comparator<Integer> byDuration = Comparator.comparingLong(i -> duration(runs.get(i)));
    PriorityQueue<Integer> heap = new PriorityQueue<>(byDuration);
    for (int i = 0; i < runs.size(); i++) {
      heap.add(i);
      if (heap.size() > n) {
        heap.poll();
      }
    }
    int[] out = new int[heap.size()];
    for (int i = out.length - 1; i >= 0; i--) {
      out[i] = heap.poll();
    }
    return out;
  }

  private static long duration(TaskEvent t) {
    return t.stopMicros() - t.startMicros();
  }
}
