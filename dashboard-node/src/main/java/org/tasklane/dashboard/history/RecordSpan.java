package org.tasklane.dashboard.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.tasklane.protocol.DashboardProtocol;

/**
 * Reads the records of a span of a run's time through {@link RunRecording#forEachUpTo}, which
 * starts at the latest checkpoint before its end: to reach further back it asks again up to just
 * before that checkpoint, and so on, one checkpoint interval a call, so that it reads about the span
 * and not the whole run. The checkpoints passed on the way are kept, in their place, with the other
 * records: they carry the state (groups, workers) of their moment.
 *
 * <p>Two ways: {@link #endingAt} for the state at a time (everything from a checkpoint at least
 * {@code history} ms before it, with only the newest tasks kept and the others counted), and
 * {@link #between} for the records of a replay's next stretch (all of them, or none if there are
 * more tasks than a stream may hold at once).
 *
 * <p>Records written in the same millisecond as a checkpoint, before it, fall between two reads
 * (the one before asks up to the checkpoint's time - 1, the one after starts at the checkpoint):
 * the checkpoint carries their groups and workers, but their tasks are not replayed.
 */
final class RecordSpan {

  /** A record to apply; for a {@link HistoryRecord.Tasks}, only {@code tasks} of it, the {@code dropped} others counted. */
  record Entry(HistoryRecord record, List<DashboardProtocol.TaskEvent> tasks, long dropped) {
    static Entry of(HistoryRecord r) {
      return r instanceof HistoryRecord.Tasks t ? new Entry(r, t.tasks(), 0) : new Entry(r, List.of(), 0);
    }

    long timeMillis() {
      return record.timeMillis();
    }

    void applyTo(ReplayFeed feed) {
      if (record instanceof HistoryRecord.Tasks) {
        feed.applyTasks(record.timeMillis(), tasks, dropped);
      } else {
        feed.apply(record);
      }
    }
  }

  /**
   * What a read gave.
   *
   * @param started the run's first record (null if the recording has none)
   * @param base the checkpoint the entries follow (null: they follow {@code started})
   * @param entries the records after {@code base}, in the order written
   * @param tasks the task records in the entries (kept or not)
   * @param overflow {@link #between} only: the span had more tasks than asked for, and the entries are empty
   */
  record Read(HistoryRecord.RunStarted started, HistoryRecord.Checkpoint base, List<Entry> entries, long tasks,
      boolean overflow) {}

  /** Calls of forEachUpTo one read may make (each goes one checkpoint further back). */
  static final int MAX_CALLS = 10_000;
  /** Records one read of {@link #endingAt} keeps; past it, it reaches no further back. */
  static final int MAX_ENTRIES = 500_000;

  private RecordSpan() {}

  /**
   * The records up to {@code t}, starting at the latest checkpoint at least {@code history} ms before
   * it (or at the run's start), with only the newest {@code keepTasks} task records kept: the other
   * task records are counted in their entry's {@code dropped}.
   */
  static Read endingAt(RunRecording recording, long t, long history, int keepTasks) {
    return walk(recording, t, t - history, Long.MIN_VALUE, keepTasks, -1);
  }

  /**
   * The records written in ({@code from}, {@code to}], checkpoints among them, all their tasks; or,
   * if they hold more than {@code maxTasks} task records, none ({@code overflow}).
   */
  static Read between(RunRecording recording, long from, long to, int maxTasks) {
    return walk(recording, to, from, from, Integer.MAX_VALUE, maxTasks);
  }

  private static Read walk(RunRecording recording, long to, long stopAt, long after, int keepTasks, int maxTasks) {
    ArrayDeque<Segment> segments = new ArrayDeque<>();
    long upTo = to;
    int kept = 0;
    int held = 0;
    long tasks = 0;
    for (int call = 0; call < MAX_CALLS; call++) {
      Segment s = new Segment(after, Math.max(0, keepTasks - kept), maxTasks < 0 ? -1 : (int) Math.max(0, maxTasks - tasks));
      recording.forEachUpTo(upTo, s::visit);
      segments.addFirst(s);
      kept += s.kept;
      held += s.entries.size();
      tasks += s.tasks;
      if (s.overflow) {
        return new Read(s.started, null, List.of(), tasks, true);
      }
      if (s.base == null || s.base.timeMillis() <= stopAt || held >= MAX_ENTRIES) {
        break;
      }
      upTo = s.base.timeMillis() - 1;
    }
    Segment first = segments.peekFirst();
    List<Entry> entries = new ArrayList<>(held + segments.size());
    for (Segment s : segments) {
      if (s != first && s.base != null) {
        entries.add(Entry.of(s.base)); // a checkpoint passed on the way: its state, in its place
      }
      entries.addAll(s.entries);
    }
    HistoryRecord.Checkpoint base = first.base;
    if (base != null && base.timeMillis() > after && after != Long.MIN_VALUE) {
      // between(): a checkpoint inside the span is one of its records
      entries.add(0, Entry.of(base));
      base = null;
    }
    return new Read(first.started, base, entries, tasks, false);
  }

  /** What one call of forEachUpTo gave. */
  private static final class Segment {
    private final long after;
    private final int keepTasks;
    private final int maxTasks;
    HistoryRecord.RunStarted started;
    HistoryRecord.Checkpoint base;
    final List<Entry> entries = new ArrayList<>();
    /** Indexes of the entries whose tasks are kept, oldest first, and how many they keep in all. */
    private final ArrayDeque<Integer> withTasks = new ArrayDeque<>();
    int kept;
    long tasks;
    boolean overflow;

    Segment(long after, int keepTasks, int maxTasks) {
      this.after = after;
      this.keepTasks = keepTasks;
      this.maxTasks = maxTasks;
    }

    void visit(HistoryRecord r) {
      if (overflow) {
        return;
      }
      if (r instanceof HistoryRecord.RunStarted s && started == null) {
        started = s;
        return;
      }
      if (r instanceof HistoryRecord.Checkpoint c && base == null && entries.isEmpty()) {
        base = c;
        return;
      }
      if (r.timeMillis() <= after) {
        return;
      }
      if (!(r instanceof HistoryRecord.Tasks t)) {
        entries.add(Entry.of(r));
        return;
      }
      tasks += t.tasks().size();
      if (maxTasks >= 0 && tasks > maxTasks) {
        overflow = true;
        entries.clear();
        return;
      }
      entries.add(Entry.of(t));
      withTasks.addLast(entries.size() - 1);
      kept += t.tasks().size();
      trim();
    }

    /** Drops the oldest kept tasks past {@code keepTasks}: their entries keep the newest and count the rest. */
    private void trim() {
      while (kept > keepTasks && !withTasks.isEmpty()) {
        int i = withTasks.peekFirst();
        Entry e = entries.get(i);
        int excess = kept - keepTasks;
        int drop = Math.min(excess, e.tasks().size());
        List<DashboardProtocol.TaskEvent> rest = e.tasks().subList(drop, e.tasks().size());
        entries.set(i, new Entry(e.record(), List.copyOf(rest), e.dropped() + drop));
        kept -= drop;
        if (rest.isEmpty()) {
          withTasks.removeFirst();
        }
      }
    }
  }
}
