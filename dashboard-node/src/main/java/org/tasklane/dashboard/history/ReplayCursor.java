package org.tasklane.dashboard.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.tasklane.dashboard.DashboardState;
import org.tasklane.dashboard.LargeClusterSettings;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.dashboard.ResourceHistory;

/**
 * A replay of one run from a moment on: the dashboard's state at that moment, rebuilt from the
 * run's records ({@link #at}), then moved forward ({@link #advanceTo}); each move gives the events
 * a live browser was sent over that stretch, in the live shapes ({@link DashboardView}): {@code
 * progress} (the groups that changed), {@code tasks} (the newest that finished, at most 200),
 * {@code resources} for each second passed and {@code workers} once; and, when the run's end is
 * reached, one {@code status} that says so, after which it gives nothing more.
 *
 * <p>The state at a time T is built from the latest checkpoint at least five minutes and ten
 * seconds before T (or the run's start) and the records after it up to T: the five minutes are the
 * resource plot's, the ten seconds the worker table's timeout; only the newest 1,000 tasks (what a
 * snapshot shows) are kept on the way, the others counted for the tasks per second.
 *
 * <p>Moving forward reads the records ahead in stretches that hold at most
 * {@link #MAX_BUFFERED_TASKS} task records, halving a stretch that holds more and doubling one that
 * holds few: a replay holds a bounded amount of the run, however fast it plays. Not thread-safe.
 */
public final class ReplayCursor {

  /** One event for a browser: its name (as on the live stream), its seq and its data. */
  public record Event(String name, long seq, Object data) {}

  /** The resource plot's span: its points before T are rebuilt. */
  static final long PLOT_MILLIS = ResourceHistory.CAPACITY * ResourceHistory.STEP_MILLIS;
  /** How far before T a state at T starts reading: the plot, and the worker table's timeout before it. */
  static final long HISTORY_MILLIS = PLOT_MILLIS + DashboardState.WORKER_TIMEOUT_MILLIS;
  /** The most task records a cursor reads ahead at once. */
  static final int MAX_BUFFERED_TASKS = 20_000;
  static final long FIRST_STRETCH_MILLIS = 1_000;
  static final long MAX_STRETCH_MILLIS = 60_000;

  private final RunRecording recording;
  private final ReplayFeed feed;
  private final long end;
  private final ArrayDeque<RecordSpan.Entry> ahead = new ArrayDeque<>();
  /** Every record written up to this time is applied, or in {@link #ahead}. */
  private long readTo;
  private long stretch = FIRST_STRETCH_MILLIS;
  private long time;
  private long seq;
  private boolean finished;

  private ReplayCursor(RunRecording recording, ReplayFeed feed, long time, long end) {
    this.recording = recording;
    this.feed = feed;
    this.time = time;
    this.readTo = time;
    this.end = end;
  }

  /**
   * The state of the run at {@code t} (epoch ms), which the caller has put within the run's
   * {@link RunBounds}; {@code end} is where {@link #advanceTo} stops.
   */
  public static ReplayCursor at(RunRecording recording, long t, long end) {
    RecordSpan.Read read = RecordSpan.endingAt(recording, t, HISTORY_MILLIS, DashboardState.LIVE_TASKS);
    ReplayFeed feed = new ReplayFeed(DashboardState.forReplay());
    feed.plotFrom(t - PLOT_MILLIS);
    if (read.started() != null) {
      feed.apply(read.started());
    }
    if (read.base() != null) {
      feed.apply(read.base());
    }
    for (RecordSpan.Entry e : read.entries()) {
      e.applyTo(feed);
    }
    feed.advanceTo(t);
    // all of it is in the snapshot: nothing is pending for the first move
    feed.takeTicks();
    feed.state().takeProgress();
    feed.state().takeNewTasks();
    return new ReplayCursor(recording, feed, t, Math.max(end, t));
  }

  /** The time the cursor is at (epoch ms). */
  public long time() {
    return time;
  }

  public long end() {
    return end;
  }

  /** True once the end is reached (and its {@code status} event given). */
  public boolean finished() {
    return finished;
  }

  /** Everything at the cursor's time, as the {@code snapshot} event and {@code api/v1/status.json} show it. */
  public DashboardView.Snapshot snapshot(long snapshotSeq) {
    return feed.state().snapshot(snapshotSeq, time, true);
  }

  /** The state at the cursor's time, for the JSON parts ({@code groups.json}, ...). */
  public DashboardState state() {
    return feed.state();
  }

  /**
   * Moves to {@code t} (at most the end), applying the records written meanwhile.
   *
   * @param firstSeq the seq of the first event given; the next ones follow it
   * @return the events a browser gets for the stretch (none if nothing changed)
   */
  public List<Event> advanceTo(long t, long firstSeq) {
    if (finished) {
      return List.of();
    }
    seq = firstSeq - 1;
    long target = Math.max(time, Math.min(t, end));
    feed.plotFrom(target - PLOT_MILLIS);
    while (true) {
      while (!ahead.isEmpty() && ahead.peekFirst().timeMillis() <= target) {
        ahead.pollFirst().applyTo(feed);
      }
      if (readTo >= target) {
        break;
      }
      readAhead(target);
    }
    feed.advanceTo(target);
    time = target;
    return events();
  }

  /** Reads the next stretch of records (at least to {@code target} unless it holds too many tasks). */
  private void readAhead(long target) {
    long to = Math.min(Math.max(target, readTo + stretch), Math.max(end, target));
    while (true) {
      boolean oneMillisecond = to - readTo <= 1;
      RecordSpan.Read read = RecordSpan.between(recording, readTo, to,
          oneMillisecond ? Integer.MAX_VALUE : MAX_BUFFERED_TASKS);
      if (read.overflow()) {
        stretch = Math.max(1, (to - readTo) / 2);
        to = readTo + stretch;
        continue;
      }
      ahead.addAll(read.entries());
      readTo = to;
      if (read.tasks() < MAX_BUFFERED_TASKS / 4) {
        stretch = Math.min(stretch * 2, MAX_STRETCH_MILLIS);
      }
      return;
    }
  }

  private List<Event> events() {
    List<Event> out = new ArrayList<>();
    DashboardState state = feed.state();
    DashboardState.ProgressDelta d = state.takeProgress();
    if (d != null) {
      out.add(new Event("progress", ++seq, new DashboardView.Progress(seq, d.groups(), d.removed())));
    }
    List<DashboardView.Task> fresh = state.takeNewTasks();
    if (!fresh.isEmpty()) {
      out.add(new Event("tasks", ++seq, new DashboardView.Tasks(seq, fresh)));
    }
    List<ReplayFeed.Tick> ticks = feed.takeTicks();
    for (ReplayFeed.Tick tick : ticks) {
      out.add(new Event("resources", ++seq, new DashboardView.ResourcesUpdate(seq, tick.resources(), tick.point())));
    }
    if (!ticks.isEmpty()) {
      out.add(new Event("workers", ++seq, workersEvent(seq, state.workers(time))));
    }
    if (time >= end) {
      finished = true;
      out.add(new Event("status", ++seq, new DashboardView.Status(seq, false, "the replay reached the end of the run")));
    }
    return out;
  }

  private static DashboardView.Workers workersEvent(long seq, List<DashboardView.Worker> rows) {
    return new DashboardView.Workers(seq, rows, LargeClusterSettings.DEFAULT.isLarge(rows));
  }
}
