package org.tasklane.worker.profile;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which task group one task thread ran when: a small ring of (group, start, stop), written by the
 * thread itself (one writer), read by the profiler's stream thread, which gets each sample about a
 * second after it was taken. A task of the same group that starts within {@link #JOIN_GAP_MICROS}
 * of the previous one's stop extends its entry instead of taking a new one, so a thread that runs
 * tiny tasks of one group back to back needs one entry, not one per task (between tasks a thread
 * waits parked, and parked threads are not sampled). No lock and no allocation per task.
 *
 * <p>A reader that races the writer and finds the entry it reads overwritten says "unknown" (null),
 * never a wrong group.
 *
 * <p>The writer publishes with release stores and fences that cost no instruction on x86 (not
 * volatile stores, each of which is a full fence): this runs twice per task on the task thread, and
 * on 10 us tasks every nanosecond here is 0.01 % of the worker's throughput.
 */
public final class TaskTimeline {
  /** Tasks of one group this close together share an entry. */
  static final long JOIN_GAP_MICROS = 10_000;
  private static final long RUNNING = Long.MAX_VALUE;

  private final int mask;
  private final String[] groups;
  private final long[] starts;
  private final AtomicLongArray stops;
  /** Entries started so far; entry k is at index k & mask. Written last (release), read first (acquire). */
  @SuppressWarnings("unused") // through WRITTEN
  private long written;
  private static final VarHandle WRITTEN;

  static {
    try {
      WRITTEN = MethodHandles.lookup().findVarHandle(TaskTimeline.class, "written", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** @param size entries kept, a power of two */
  public TaskTimeline(int size) {
    if (size < 2 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("a task timeline's size must be a power of two of at least 2, got " + size);
    }
    this.mask = size - 1;
    this.groups = new String[size];
    this.starts = new long[size];
    this.stops = new AtomicLongArray(size);
  }

  /** Now, in microseconds since the epoch (the clock the samples' times are compared with). */
  public static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** On the thread: a task of {@code group} starts. */
  public void started(String group, long startMicros) {
    long n = (long) WRITTEN.getOpaque(this); // this thread is the only writer
    if (n > 0) {
      int last = (int) ((n - 1) & mask);
      long stop = stops.getPlain(last);
      if (stop != RUNNING && startMicros - stop <= JOIN_GAP_MICROS && group.equals(groups[last])) {
        stops.setRelease(last, RUNNING);
        return;
      }
    }
    // the slot's new contents must not become visible before the count that says its old entry is gone
    VarHandle.storeStoreFence();
    int i = (int) (n & mask);
    groups[i] = group;
    starts[i] = startMicros;
    stops.setRelease(i, RUNNING);
    WRITTEN.setRelease(this, n + 1);
  }

  /** On the thread: its task stopped. */
  public void stopped(long stopMicros) {
    long n = (long) WRITTEN.getOpaque(this);
    if (n > 0) {
      stops.setRelease((int) ((n - 1) & mask), stopMicros);
    }
  }

  /**
   * The group of the task that ran at {@code micros}, or null: none ran then, or it is older than
   * what the ring holds.
   */
  public String groupAt(long micros) {
    long n = (long) WRITTEN.getAcquire(this);
    long oldest = Math.max(0, n - mask); // entry n - size's slot may be being rewritten with entry n
    for (long k = n - 1; k >= oldest; k--) {
      int i = (int) (k & mask);
      String group = groups[i];
      long start = starts[i];
      long stop = stops.getAcquire(i);
      VarHandle.loadLoadFence(); // the reads above happen before the check below
      if ((long) WRITTEN.getAcquire(this) - k > mask) { // the writer has started entry k + size, in k's slot
        return null; // overwritten while we read it
      }
      if (micros >= start) {
        return micros <= stop ? group : null;
      }
    }
    return null;
  }
}
