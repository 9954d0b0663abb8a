package org.tasklane.dashboard.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Comparator;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.protocol.DashboardProtocol;

/**
 * The tasks of a recorded run in a window of time, as the tasks page draws them: every task of the
 * window, when there are at most {@link #MAX_TASKS}; else a summary that draws the same way, one
 * row per worker thread, cut into buckets of about a pixel ({@code width} buckets over the window),
 * each with how busy the thread was (the fraction of the bucket its tasks ran), the group that ran
 * longest in it (or erred), and how many tasks started in it (a task that started before the
 * window counts in the first), and the transfers of their inputs summarised the same way. The
 * counts add up to the tasks (and transfers) of the window. One pass over the window's records.
 *
 * <p>Bounded: a summary has at most {@link #MAX_CELLS} buckets in all; a window with so many
 * threads that a pixel each would pass that gets buckets of two pixels (four, ...).
 */
public final class TaskDetail {

  /** The most tasks a window gives one by one. */
  public static final int MAX_TASKS = 20_000;
  /** The widest a window may be asked for, in pixels (buckets). */
  public static final int MAX_WIDTH = 10_000;
  /** The most buckets of a summary, over all its rows. */
  static final long MAX_CELLS = 1_000_000;

  /**
   * The answer of {@code tasks.json?from&to&width}: times in epoch milliseconds (as every page
   * time); {@code detail} is {@code "tasks"} (then {@code tasks} has them, oldest first as written)
   * or {@code "summary"} (then {@code rows}, with {@code bucket} the buckets' width in ms and {@code
   * groups} the names their group indexes point to).
   */
  public record Window(
      Number from, Number to, long total, long transfers, String detail, List<DashboardView.Task> tasks,
      double bucket, List<String> groups, List<Row> rows) {
    public Window {
      tasks = List.copyOf(tasks);
      groups = List.copyOf(groups);
      rows = List.copyOf(rows);
    }
  }

  /**
   * One worker thread of a summary, its buckets that have anything in them as parallel arrays:
   * bucket {@code index[i]} (from the window's start), {@code busy[i]} (0..1), {@code group[i]}
   * (into the window's groups; -1: an erred task ran longest), {@code count[i]} (tasks that started
   * in it); and the same for the transfers of inputs ({@code transferIndex}, {@code transferBusy},
   * {@code transferCount}).
   */
  public record Row(
      String worker, String thread, int[] index, double[] busy, int[] group, int[] count, int[] transferIndex,
      double[] transferBusy, int[] transferCount) {}

  private TaskDetail() {}

  /** The window [fromMicros, toMicros] of the run, for a drawing {@code width} pixels wide (1..MAX_WIDTH). */
  public static Window of(RunRecording recording, long fromMicros, long toMicros, int width) {
    if (toMicros < fromMicros) {
      throw new IllegalArgumentException("the window ends before it starts");
    }
    if (width < 1 || width > MAX_WIDTH) {
      throw new IllegalArgumentException("width must be 1 to " + MAX_WIDTH);
    }
    Collector c = new Collector(fromMicros, toMicros, width);
    recording.forEachTaskBetween(fromMicros, toMicros, c::add);
    return c.window();
  }

  /** One pass: tasks one by one until there are too many, then the summary. */
  private static final class Collector {
    private final long from;
    private final long to;
    private final int width;
    private List<DashboardProtocol.TaskEvent> tasks = new ArrayList<>();
    private Summary summary;
    private long total;
    private long transfers;

    Collector(long from, long to, int width) {
      this.from = from;
      this.to = to;
      this.width = width;
    }

    void add(DashboardProtocol.TaskEvent t) {
      total++;
      for (var x : t.transfers()) {
        if (x.stopMicros() >= from && x.startMicros() <= to) {
          transfers++;
        }
      }
      if (summary != null) {
        summary.add(t);
        return;
      }
      tasks.add(t);
      if (tasks.size() > MAX_TASKS) {
        summary = new Summary(from, to, width);
        tasks.forEach(summary::add);
        tasks = null;
      }
    }

    Window window() {
      Number f = DashboardView.millis(from);
      Number t = DashboardView.millis(to);
      if (summary == null) {
        return new Window(f, t, total, transfers, "tasks", tasks.stream().map(DashboardView.Task::of).toList(), 0,
            List.of(), List.of());
      }
      return new Window(f, t, total, transfers, "summary", List.of(), summary.bucketMicros() / 1000.0,
          summary.groupNames(), summary.rows());
    }
  }

  /** The buckets of every thread; halves its resolution when it would pass {@link #MAX_CELLS}. */
  private static final class Summary {
    private final long from;
    private final long span;
    private int buckets;
    private double bucketMicros;
    /** worker -> thread -> buckets (no key built per task: a million tasks pass here) */
    private final Map<String, Map<String, Cells>> rows = new HashMap<>();
    private final List<Cells> all = new ArrayList<>();
    private final Map<String, Integer> groupIndex = new HashMap<>();
    private final List<String> groups = new ArrayList<>();

    Summary(long from, long to, int width) {
      this.from = from;
      this.span = Math.max(1, to - from);
      this.buckets = width;
      this.bucketMicros = (double) span / width;
    }

    double bucketMicros() {
      return bucketMicros;
    }

    List<String> groupNames() {
      return groups;
    }

    void add(DashboardProtocol.TaskEvent t) {
      Map<String, Cells> threads = rows.computeIfAbsent(t.worker(), w -> new HashMap<>());
      Cells found = threads.get(t.thread());
      if (found == null) {
        while ((long) (all.size() + 1) * buckets > MAX_CELLS && buckets > 1) {
          halve();
        }
        found = new Cells(t.worker(), t.thread(), buckets);
        threads.put(t.thread(), found);
        all.add(found);
      }
      Cells cells = found;
      int group = "erred".equals(t.status()) ? -1 : groupIndex.computeIfAbsent(t.group(), g -> {
        groups.add(g);
        return groups.size() - 1;
      });
      cells.count[bucketOf(Math.max(t.startMicros(), from))]++;
      spread(t.startMicros(), t.stopMicros(), (i, overlap) -> {
        cells.busy[i] += overlap;
        if (overlap > cells.longest[i] || (overlap == 0 && cells.longest[i] == 0)) {
          cells.longest[i] = overlap;
          cells.group[i] = group;
        }
      });
      for (var x : t.transfers()) {
        if (x.stopMicros() < from || x.startMicros() > from + span) {
          continue;
        }
        cells.transferCount[bucketOf(Math.max(x.startMicros(), from))]++;
        spread(x.startMicros(), x.stopMicros(), (i, overlap) -> cells.transferBusy[i] += overlap);
      }
    }

    private interface Overlap {
      void add(int bucket, double micros);
    }

    /** Calls back each bucket that [start, stop] overlaps, with the overlap (a zero-length run: its bucket, 0). */
    private void spread(long start, long stop, Overlap out) {
      double a = Math.max(start, from) - from;
      double b = Math.min(stop, from + span) - from;
      if (b < a) {
        return;
      }
      int i0 = bucketOf(from + (long) a);
      int i1 = bucketOf(from + (long) b);
      for (int i = i0; i <= i1; i++) {
        double lo = Math.max(a, i * bucketMicros);
        double hi = Math.min(b, (i + 1) * bucketMicros);
        out.add(i, Math.max(0, hi - lo));
      }
    }

    private int bucketOf(long micros) {
      int i = (int) ((micros - from) / bucketMicros);
      return Math.max(0, Math.min(buckets - 1, i));
    }

    private void halve() {
      int next = (buckets + 1) / 2;
      for (Cells c : all) {
        c.halve(next);
      }
      buckets = next;
      bucketMicros *= 2;
    }

    List<Row> rows() {
      List<Cells> sorted = new ArrayList<>(all);
      sorted.sort(Comparator.comparing((Cells c) -> c.worker).thenComparing(c -> c.thread));
      List<Row> out = new ArrayList<>(sorted.size());
      for (Cells c : sorted) {
        out.add(c.row(bucketMicros));
      }
      return out;
    }
  }

  /** One thread's buckets (busy and longest in microseconds). */
  private static final class Cells {
    final String worker;
    final String thread;
    double[] busy;
    double[] longest;
    int[] group;
    int[] count;
    double[] transferBusy;
    int[] transferCount;

    Cells(String worker, String thread, int n) {
      this.worker = worker;
      this.thread = thread;
      busy = new double[n];
      longest = new double[n];
      group = new int[n];
      count = new int[n];
      transferBusy = new double[n];
      transferCount = new int[n];
    }

    void halve(int n) {
      double[] b = new double[n];
      double[] l = new double[n];
      int[] g = new int[n];
      int[] c = new int[n];
      double[] tb = new double[n];
      int[] tc = new int[n];
      for (int i = 0; i < busy.length; i++) {
        int j = i / 2;
        b[j] += busy[i];
        if (i % 2 == 0 || longest[i] > l[j]) {
          l[j] = longest[i];
          g[j] = group[i];
        }
        c[j] += count[i];
        tb[j] += transferBusy[i];
        tc[j] += transferCount[i];
      }
      busy = b;
      longest = l;
      group = g;
      count = c;
      transferBusy = tb;
      transferCount = tc;
    }

    Row row(double bucketMicros) {
      int n = 0;
      int m = 0;
      for (int i = 0; i < busy.length; i++) {
        if (busy[i] > 0 || count[i] > 0) {
          n++;
        }
        if (transferBusy[i] > 0 || transferCount[i] > 0) {
          m++;
        }
      }
      int[] index = new int[n];
      double[] fraction = new double[n];
      int[] groups = new int[n];
      int[] counts = new int[n];
      int[] tIndex = new int[m];
      double[] tFraction = new double[m];
      int[] tCounts = new int[m];
      int k = 0;
      int q = 0;
      for (int i = 0; i < busy.length; i++) {
        if (busy[i] > 0 || count[i] > 0) {
          index[k] = i;
          fraction[k] = thousandths(busy[i] / bucketMicros);
          groups[k] = group[i];
          counts[k] = count[i];
          k++;
        }
        if (transferBusy[i] > 0 || transferCount[i] > 0) {
          tIndex[q] = i;
          tFraction[q] = thousandths(transferBusy[i] / bucketMicros);
          tCounts[q] = transferCount[i];
          q++;
        }
      }
      return new Row(worker, thread, index, fraction, groups, counts, tIndex, tFraction, tCounts);
    }

    /** A fraction 0..1 to three decimals (transfers of parallel inputs can overlap: capped at 1). */
    private static double thousandths(double f) {
      return Math.min(1, Math.round(f * 1000) / 1000.0);
    }
  }
}
