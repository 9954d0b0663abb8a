package org.tasklane.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.WireBatches;

/**
 * The reports a worker has not sent yet, and when to send them: at most one message per
 * {@code window} while results stream in, but never a wait for a report that has nothing to wait
 * for. A report is due at once when the worker is idle (nothing more would join it), when the
 * batch is full, or when the last message left a window ago or more (a lone result after a quiet
 * spell goes straight out: this is what a one-task graph sees). Otherwise it waits for the next
 * report that finds the window passed; the caller sets a timer for the window only as a backstop,
 * for results that stop coming before it ends. Timers fire on Pekko's 10 ms scheduler tick, so a
 * timer is never what closes a batch while results keep coming.
 *
 * <p>Not thread-safe: the worker actor's alone. The clock is injected so tests need no sleeps.
 */
final class ReportBatcher {
  /** Reports per message, at most (keeps messages under Artery's frame size). */
  static final int MAX_REPORTS_PER_MESSAGE = 1000;
  /** Estimated report bytes per message, about. */
  static final long MAX_REPORT_BYTES_PER_MESSAGE = 128 * 1024;

  private final long windowNanos;
  private final LongSupplier nanoClock;
  private List<TaskReport> pending = new ArrayList<>();
  /** When the last message left ({@link #take}), on {@code nanoClock}. */
  private long lastSentNanos;

  /** @param nanoClock {@code System::nanoTime} outside tests */
  ReportBatcher(Duration window, LongSupplier nanoClock) {
    this.windowNanos = window.toNanos();
    this.nanoClock = nanoClock;
    this.lastSentNanos = nanoClock.getAsLong() - windowNanos;
  }

  /**
   * Adds a report; true if the reports should leave now, false if they may wait for others (then
   * a backstop timer of one window should be running).
   *
   * @param idle the worker runs, queues and fetches nothing: no other report is coming
   */
  boolean add(TaskReport report, boolean idle) {
    pending.add(report);
    return isDue(idle);
  }

  /** True if the pending reports should leave now (see the class comment). */
  boolean isDue(boolean idle) {
    return !pending.isEmpty() && (idle || pending.size() >= MAX_REPORTS_PER_MESSAGE
        || nanoClock.getAsLong() - lastSentNanos >= windowNanos);
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  /** The pending reports, split into messages of at most {@link #MAX_REPORTS_PER_MESSAGE} reports and about {@link #MAX_REPORT_BYTES_PER_MESSAGE} bytes; none are left pending. */
  List<List<TaskReport>> take() {
    List<List<TaskReport>> messages = WireBatches.split(
        pending, ReportBatcher::estimatedSize, MAX_REPORT_BYTES_PER_MESSAGE, MAX_REPORTS_PER_MESSAGE);
    if (!pending.isEmpty()) {
      pending = new ArrayList<>();
      lastSentNanos = nanoClock.getAsLong();
    }
    return messages;
  }

  static long estimatedSize(TaskReport report) {
    return 96 + report.thread().length() + (report.error() == null ? 0 : 3L * report.error().length())
        + 96L * report.transfers().size() + 9L * report.missing().size();
  }
}
