package org.tasklane.dashboard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tasklane.protocol.DashboardProtocol;

/**
 * The worker table: each worker's latest own metrics, laid over the scheduler's latest worker list.
 *
 * <p>A worker is shown if the scheduler's latest list has it, or (before the scheduler's list
 * catches up with a worker that just started) if its metrics began after that list; and it leaves
 * the table when its metrics have not come for {@code timeoutMillis}, or when the scheduler's
 * latest list no longer has it. A worker the scheduler lists but that has sent no metrics yet is
 * shown with the scheduler's figures.
 */
final class WorkerTable {

  /** The latest metrics of one worker, with when they came (the dashboard's clock) and when the first came. */
  private record Heard(DashboardProtocol.WorkerMetrics metrics, long receivedMillis, long firstMillis) {}

  private final long timeoutMillis;
  private final Map<String, Heard> metrics = new HashMap<>();
  /** The scheduler's latest list, by name, in its order; null until one came. */
  private Map<String, DashboardProtocol.WorkerSummary> schedulerList;
  private long schedulerListMillis;

  WorkerTable(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  void onMetrics(DashboardProtocol.WorkerMetrics m, long nowMillis) {
    Heard old = metrics.get(m.worker());
    if (old != null && old.metrics().incarnation().equals(m.incarnation()) && m.seq() <= old.metrics().seq()) {
      return; // older than what we have
    }
    metrics.put(m.worker(), new Heard(m, nowMillis, old != null ? old.firstMillis() : nowMillis));
  }

  /** The scheduler's new full list of workers. */
  void onSchedulerList(List<DashboardProtocol.WorkerSummary> workers, long nowMillis) {
    Map<String, DashboardProtocol.WorkerSummary> byName = new LinkedHashMap<>();
    for (DashboardProtocol.WorkerSummary w : workers) {
      byName.put(w.name(), w);
    }
    schedulerList = byName;
    schedulerListMillis = nowMillis;
  }

  /** Forgets metrics that have not come for the timeout (they no longer show anyway). */
  void prune(long nowMillis) {
    metrics.values().removeIf(h -> stale(h, nowMillis));
  }

  /** The rows of the table: the scheduler's order first, then workers it does not list yet. */
  List<DashboardView.Worker> rows(long nowMillis) {
    List<DashboardView.Worker> rows = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    if (schedulerList != null) {
      for (DashboardProtocol.WorkerSummary s : schedulerList.values()) {
        Heard h = metrics.get(s.name());
        if (h == null) {
          rows.add(fromSummary(s, schedulerListMillis));
        } else if (!stale(h, nowMillis)) {
          rows.add(merged(s, h));
        }
        done.add(s.name());
      }
    }
    List<Heard> unlisted = new ArrayList<>();
    for (Heard h : metrics.values()) {
      String name = h.metrics().worker();
      if (done.contains(name) || stale(h, nowMillis)) {
        continue;
      }
      if (schedulerList == null || h.firstMillis() >= schedulerListMillis) {
        unlisted.add(h);
      }
    }
    unlisted.sort((a, b) -> a.metrics().worker().compareTo(b.metrics().worker()));
    for (Heard h : unlisted) {
      rows.add(merged(null, h));
    }
    return rows;
  }

  private boolean stale(Heard h, long nowMillis) {
    return nowMillis - h.receivedMillis() > timeoutMillis;
  }

  /** A worker the scheduler lists and that has sent no metrics (yet): the scheduler's figures. */
  private static DashboardView.Worker fromSummary(DashboardProtocol.WorkerSummary s, long listedMillis) {
    int executing = Math.min(s.processing(), s.nthreads());
    DashboardProtocol.WorkerFigures figures = new DashboardProtocol.WorkerFigures(
        new DashboardProtocol.WorkerFigures.Tasks(executing, Math.max(0, s.processing() - executing), s.heldResults(),
            s.heldBytes(), 0),
        null, null, null, null);
    return new DashboardView.Worker(s.name(), s.host(), s.address(), s.nthreads(), s.processing(),
        hundredths(s.latencyMillis()), listedMillis, figures);
  }

  private static DashboardView.Worker merged(DashboardProtocol.WorkerSummary s, Heard h) {
    DashboardProtocol.WorkerMetrics m = h.metrics();
    DashboardProtocol.WorkerFigures.Tasks t = m.figures().tasks();
    return new DashboardView.Worker(m.worker(), m.host(), m.address(), m.nthreads(),
        s != null ? s.processing() : t.executing() + t.queued(), s != null ? hundredths(s.latencyMillis()) : 0,
        h.receivedMillis(), m.figures());
  }

  // A worker's figures go to browsers as JSON, where NaN and infinities do not exist: they, and
  // negative figures (a sampler's first or failed reading), are 0.

  /** Rounded to 0.1 (CPU percent). */
  static double tenths(double x) {
    return Double.isFinite(x) && x > 0 ? Math.round(x * 10) / 10.0 : 0;
  }

  /** Rounded to 0.01 (latency in ms: loopback round trips are fractions of one). */
  static double hundredths(double x) {
    return Double.isFinite(x) && x > 0 ? Math.round(x * 100) / 100.0 : 0;
  }

  /** A rate in whole bytes per second. */
  static long wholeRate(double x) {
    return Double.isFinite(x) && x > 0 ? Math.round(x) : 0;
  }
}
