package org.tasklane.dashboard;

import java.util.List;
import org.tasklane.protocol.WorkerProtocol;

/**
 * What the worker page ({@code workers/NAME}) gets as JSON (docs/dashboard.md, "A worker up
 * close"): the dashboard's own records, made from the worker's answers field by field. Times are
 * epoch milliseconds; task keys, log lines, thread names and frames are user input: text only.
 */
public interface WorkerPageView {

  /** One second of a worker's figures (as in the worker table: cpu in percent of one core, bytes, bytes/s). */
  record Point(
      long time, double cpu, long memory, long memoryLimit, int nthreads, int executing, int queued, long heldBytes,
      long netIn, long netOut, long diskRead, long diskWrite) {}

  /**
   * {@code history.json}: its figures over the last five minutes, oldest first.
   *
   * @param present whether the worker is in the cluster now (else its page shows what was last known)
   * @param lastSeen when the dashboard last heard from it
   */
  record History(String name, String host, String address, boolean present, long lastSeen, List<Point> points) {
    public History {
      points = List.copyOf(points);
    }
  }

  /** {@code tasks.json}: what runs on its threads now (its own account), longest running first. */
  record Running(String worker, long time, int queued, List<RunningTask> tasks) {
    public Running {
      tasks = List.copyOf(tasks);
    }

    public static Running of(WorkerProtocol.RunningTasks r) {
      return new Running(r.worker(), r.timeMillis(), r.queued(), r.tasks().stream()
          .map(t -> new RunningTask(t.taskId(), t.key(), t.thread(), DashboardView.millis(t.startMicros())))
          .toList());
    }
  }

  record RunningTask(long id, String key, String thread, Number start) {}

  /**
   * {@code logs.json}: its last log lines, oldest first; {@code dropped}: lines its buffer let go
   * since it started; {@code lastSeq}: the seq of its newest line (ask for those {@code after} it next).
   */
  record Logs(String worker, long dropped, long lastSeq, List<LogLine> lines) {
    public Logs {
      lines = List.copyOf(lines);
    }

    public static Logs of(WorkerProtocol.Logs l) {
      return new Logs(l.worker(), l.dropped(), l.lastSeq(), l.lines().stream()
          .map(x -> new LogLine(x.seq(), x.timeMillis(), x.level(), x.logger(), x.thread(), x.task(), x.message()))
          .toList());
    }
  }

  record LogLine(long seq, long time, String level, String logger, String thread, String task, String message) {}

  /** {@code threads.json}: a dump of its task threads, busy ones first. */
  record Dump(String worker, long time, int otherThreads, boolean truncated, List<ThreadStack> threads) {
    public Dump {
      threads = List.copyOf(threads);
    }

    public static Dump of(WorkerProtocol.ThreadDump d) {
      return new Dump(d.worker(), d.timeMillis(), d.otherThreads(), d.truncated(), d.threads().stream()
          .map(t -> new ThreadStack(t.name(), t.id(), t.state(), t.lock(), t.task(),
              t.task() == null ? null : DashboardView.millis(t.taskStartMicros()), t.frames(), t.moreFrames()))
          .toList());
    }
  }

  /** One thread: innermost frame first; {@code task} null while it waits for one. */
  record ThreadStack(
      String name, long id, String state, String lock, String task, Number taskStart, List<String> frames,
      int moreFrames) {
    public ThreadStack {
      frames = List.copyOf(frames);
    }
  }
}
