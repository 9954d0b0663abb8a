package org.tasklane.worker.inspect;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.WorkerProtocol;

/**
 * A thread dump of a worker's task threads ({@link ThreadMXBean}), each with the task it runs:
 * busy threads first, then by name; at most {@code maxFrames} frames per thread (innermost first)
 * and {@code maxChars} characters of frames in all (then threads keep only their first frame), at
 * most {@link #MAX_THREADS} threads.
 */
public final class ThreadDumps {
  /** Threads in one dump, at most. */
  static final int MAX_THREADS = 512;

  private ThreadDumps() {}

  public static WorkerProtocol.ThreadDump take(
      String worker, List<TaskThreads.Lane> lanes, int maxFrames, long maxChars) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    List<TaskThreads.Lane> sorted = new ArrayList<>(lanes);
    sorted.sort(Comparator.comparing((TaskThreads.Lane l) -> l.task() == null)
        .thenComparing(l -> l.thread.getName()));
    boolean truncated = sorted.size() > MAX_THREADS;
    if (truncated) {
      sorted = sorted.subList(0, MAX_THREADS);
    }
    long[] ids = new long[sorted.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = sorted.get(i).thread.getId();
    }
    // what each runs, read before the stacks: a thread that finishes in between shows its next frames
    Map<Long, TaskAssignment> tasks = new HashMap<>();
    Map<Long, Long> starts = new HashMap<>();
    for (TaskThreads.Lane l : sorted) {
      TaskAssignment t = l.task();
      if (t != null) {
        tasks.put(l.thread.getId(), t);
        starts.put(l.thread.getId(), l.startMicros());
      }
    }
    ThreadInfo[] infos = mx.getThreadInfo(ids, Integer.MAX_VALUE);
    long budget = maxChars;
    List<WorkerProtocol.ThreadStack> out = new ArrayList<>(ids.length);
    for (ThreadInfo info : infos) {
      if (info == null) {
        continue; // ended meanwhile
      }
      StackTraceElement[] stack = info.getStackTrace();
      int keep = Math.min(stack.length, maxFrames);
      List<String> frames = new ArrayList<>(keep);
      for (int i = 0; i < keep; i++) {
        String f = frame(stack[i]);
        if (budget - f.length() < 0 && i > 0) {
          truncated = true;
          break;
        }
        budget -= f.length();
        frames.add(f);
      }
      if (frames.size() < Math.min(stack.length, maxFrames)) {
        truncated = true;
      }
      TaskAssignment task = tasks.get(info.getThreadId());
      out.add(new WorkerProtocol.ThreadStack(info.getThreadName(), info.getThreadId(), info.getThreadState().name(),
          info.getLockName(), task == null ? null : task.key(), task == null ? 0 : starts.get(info.getThreadId()),
          frames, stack.length - frames.size()));
    }
    int others = Math.max(0, mx.getThreadCount() - out.size());
    return new WorkerProtocol.ThreadDump(worker, System.currentTimeMillis(), out, others, truncated);
  }

  /**
   * {@code org.example.Work.spin(Work.java:12)}: the class, method, file and line, without the
   * class loader and module prefixes of {@link StackTraceElement#toString()} ({@code app//},
   * {@code java.base@17.0.15/}).
   */
  public static String frame(StackTraceElement e) {
    String where = e.isNativeMethod() ? "Native Method"
        : e.getFileName() == null ? "Unknown Source"
        : e.getLineNumber() >= 0 ? e.getFileName() + ":" + e.getLineNumber() : e.getFileName();
    return e.getClassName() + "." + e.getMethodName() + "(" + where + ")";
  }
}
