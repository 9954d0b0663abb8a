package org.tasklane.worker.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.worker.profile.TaskTimeline;

/**
 * A worker's task threads and what each runs now, for thread dumps, the running-tasks view and
 * the log lines' task. A lane thread enters once (when its loop starts) and leaves once; per task
 * it writes two fields ({@link Lane#running}, {@link Lane#idle}): no allocation, no lock, nothing
 * that would slow tiny tasks. With profiling on, each lane also keeps a {@link TaskTimeline} of its
 * recent tasks' groups and times, for the profiler (which gets its samples about a second late).
 */
public final class TaskThreads {
  private static final ThreadLocal<Lane> CURRENT = new ThreadLocal<>();

  private final Set<Lane> lanes = ConcurrentHashMap.newKeySet();
  /** Entries of each lane's timeline; 0: no timelines (profiling off). */
  private final int timelineSize;

  /** Task threads without timelines (no profiling). */
  public TaskThreads() {
    this(0);
  }

  /** @param timelineSize entries of each lane's {@link TaskTimeline} (a power of two), or 0 for none */
  public TaskThreads(int timelineSize) {
    this.timelineSize = timelineSize;
  }

  /** One task thread. */
  public static final class Lane {
    public final Thread thread;
    private final TaskTimeline timeline;
    private volatile TaskAssignment task;
    private long startMicros;

    Lane(Thread thread, TaskTimeline timeline) {
      this.thread = thread;
      this.timeline = timeline;
    }

    /** This thread starts running {@code task}; call on the lane's own thread. */
    public void running(TaskAssignment task, long startMicros) {
      this.startMicros = startMicros; // published by the volatile write below
      this.task = task;
      if (timeline != null) {
        timeline.started(task.group(), startMicros);
      }
    }

    /** This thread's task is done. */
    public void idle() {
      this.task = null;
      if (timeline != null) {
        timeline.stopped(TaskTimeline.nowMicros());
      }
    }

    /** Which groups this thread ran when, lately; null without profiling. */
    public TaskTimeline timeline() {
      return timeline;
    }

    /** The task it runs now, or null. */
    public TaskAssignment task() {
      return task;
    }

    /** When the task it runs started (epoch microseconds); read after {@link #task()}. */
    public long startMicros() {
      return startMicros;
    }
  }

  /** The calling thread becomes one of this worker's task threads (until {@link #leave}). */
  public Lane enter() {
    Lane lane = new Lane(Thread.currentThread(), timelineSize > 0 ? new TaskTimeline(timelineSize) : null);
    lanes.add(lane);
    CURRENT.set(lane);
    return lane;
  }

  /** The calling thread is no longer a task thread. */
  public void leave(Lane lane) {
    lanes.remove(lane);
    CURRENT.remove();
  }

  /** The task threads now. */
  public List<Lane> lanes() {
    return new ArrayList<>(lanes);
  }

  /** The key of the task the calling thread runs, or null (not a task thread, or between tasks). */
  public static String currentTaskKey() {
    Lane lane = CURRENT.get();
    TaskAssignment task = lane == null ? null : lane.task();
    return task == null ? null : task.key();
  }
}
