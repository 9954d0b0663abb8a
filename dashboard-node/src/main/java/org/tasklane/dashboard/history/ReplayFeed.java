package org.tasklane.dashboard.history;

import java.util.ArrayDeque;
import java.util.List;
import org.tasklane.dashboard.DashboardState;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.dashboard.ResourceHistory;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.api.GroupProgress;

/**
 * Feeds a run's records, in the order written, to a {@link DashboardState} as the protocol messages
 * the live dashboard applied when it wrote them, each at its record's time: so the state it builds,
 * and the JSON that state gives, are the live ones (same code, same shapes). The clock is the
 * records' time only, never the wall clock; as it passes each second it adds that second's point to
 * the resource plot, as the live dashboard's one-second timer does.
 *
 * <ul>
 *   <li>{@link HistoryRecord.RunStarted}: a scheduler snapshot with the graph's groups (the state starts in sync);
 *   <li>{@link HistoryRecord.Progress}, {@link HistoryRecord.RunFinished}: a batch with the graph's changed groups;
 *   <li>{@link HistoryRecord.Tasks}: a batch with the tasks;
 *   <li>{@link HistoryRecord.Workers}: each worker's metrics;
 *   <li>{@link HistoryRecord.Checkpoint}: a batch with every group (absolute) and each worker's metrics;
 *   <li>{@link HistoryRecord.Gap}: nothing (what was lost is lost).
 * </ul>
 *
 * The scheduler's worker list is not recorded: a replayed worker table is the workers' own metrics
 * (no ping latency). Not thread-safe.
 */
public final class ReplayFeed {

  /** The most resource points held for {@link #takeTicks()}; past it the oldest go (the plot keeps no more). */
  static final int MAX_PENDING_TICKS = ResourceHistory.CAPACITY;

  /** One second of the resource plot: the cluster's totals then, and the point added. */
  public record Tick(DashboardView.Resources resources, DashboardView.ResourcePoint point) {}

  private final DashboardState state;
  private String incarnation = "replay";
  private boolean started;
  private long seq;
  /** The feed's clock: the latest record's time (or the latest time advanced to); MIN_VALUE before the first. */
  private long time = Long.MIN_VALUE;
  /** Seconds before this are not added to the resource plot (they are older than it shows). */
  private long plotFrom = Long.MIN_VALUE;
  private final ArrayDeque<Tick> ticks = new ArrayDeque<>();

  public ReplayFeed(DashboardState state) {
    this.state = state;
  }

  public DashboardState state() {
    return state;
  }

  /** The feed's clock (epoch ms): the time of the latest record applied, or advanced to. */
  public long time() {
    return time;
  }

  /** Adds no resource point for the seconds before {@code millis} (older than the plot will show). */
  public void plotFrom(long millis) {
    plotFrom = millis;
  }

  /** Applies one record at its time, after the resource points of the seconds that began before it. */
  public void apply(HistoryRecord r) {
    if (r instanceof HistoryRecord.Tasks t) {
      applyTasks(t.timeMillis(), t.tasks(), 0);
      return;
    }
    long at = clockTo(r.timeMillis());
    if (r instanceof HistoryRecord.RunStarted s) {
      incarnation = s.incarnation() == null ? "replay" : s.incarnation();
      if (!started) {
        started = true;
        state.apply(new DashboardProtocol.Snapshot(incarnation, 0, at, s.graph().groups(), List.of(), List.of(),
            List.of()), at);
      }
    } else if (r instanceof HistoryRecord.Progress p) {
      groups(p.graph().groups(), at);
    } else if (r instanceof HistoryRecord.RunFinished f) {
      groups(f.graph().groups(), at);
    } else if (r instanceof HistoryRecord.Workers w) {
      w.metrics().forEach(m -> state.apply(m, at));
    } else if (r instanceof HistoryRecord.Checkpoint c) {
      groups(c.groups(), at);
      c.workers().forEach(m -> state.apply(m, at));
    }
    // HistoryRecord.Gap: nothing to apply
  }

  /**
   * Applies a {@link HistoryRecord.Tasks} record of which only {@code kept} are needed (the newest
   * tasks a snapshot shows); the {@code dropped} others still count in the tasks per second.
   */
  public void applyTasks(long timeMillis, List<DashboardProtocol.TaskEvent> kept, long dropped) {
    long at = clockTo(timeMillis);
    batch(List.of(), kept, dropped, at);
  }

  /** Moves the clock to {@code millis} with no record: the resource points of the seconds up to it. */
  public void advanceTo(long millis) {
    clockTo(millis);
  }

  /** The resource plot's seconds added since the last call, oldest first. */
  public List<Tick> takeTicks() {
    List<Tick> out = List.copyOf(ticks);
    ticks.clear();
    return out;
  }

  private void groups(List<GroupProgress> groups, long at) {
    if (!groups.isEmpty()) {
      batch(groups, List.of(), 0, at);
    }
  }

  private void batch(List<GroupProgress> groups, List<DashboardProtocol.TaskEvent> tasks, long dropped, long at) {
    if (!started) {
      // a recording that does not start with RunStarted: start in sync all the same
      started = true;
      state.apply(new DashboardProtocol.Snapshot(incarnation, 0, at, List.of(), List.of(), List.of(), List.of()), at);
    }
    seq++;
    state.apply(new DashboardProtocol.SchedulerEvents(incarnation, seq, at, groups, List.of(), tasks, dropped,
        List.of(), false, List.of()), at);
  }

  /**
   * Moves the clock forward to {@code millis}, adding a resource point at each whole second passed
   * (the state just before the records of that millisecond, as the live timer sees it just before
   * the next batch). A record older than the clock (the writer's clock was set back) is applied at
   * the clock's time: time never runs backwards in a replay.
   *
   * @return the time to apply the record at
   */
  private long clockTo(long millis) {
    if (time == Long.MIN_VALUE) {
      time = millis;
      return millis;
    }
    if (millis <= time) {
      return time;
    }
    long first = Math.max(time + 1, plotFrom);
    for (long second = Math.floorDiv(first + 999, 1000) * 1000; second <= millis; second += 1000) {
      point(second);
    }
    time = millis;
    return millis;
  }

  private void point(long second) {
    state.prune(second);
    List<DashboardView.Worker> rows = state.workers(second);
    DashboardView.Resources resources = state.resources(second);
    DashboardView.ResourcePoint p = state.recordResources(rows, second);
    ticks.addLast(new Tick(resources, p));
    if (ticks.size() > MAX_PENDING_TICKS) {
      ticks.removeFirst();
    }
  }
}
