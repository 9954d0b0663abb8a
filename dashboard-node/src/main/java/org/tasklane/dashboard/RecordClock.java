package org.tasklane.dashboard;

import java.util.function.LongSupplier;

/**
 * The dashboard's clock, so that a recorded run replays exactly what the live pages showed.
 *
 * <p>The run history's records carry the time the dashboard applied what they hold, and a live
 * answer ({@code api/v1/status.json}, a snapshot event) the time it was made. For a replay at the
 * {@code now} of a live answer to give that very answer, with no tolerance, the two must come from
 * one clock with an order: every message the dashboard applies to its state is stamped with one
 * reading ({@link #stamp()}), used both to apply it and to record it (the history writer takes the
 * stamp, not its own clock), and every answer that shows the state says when with {@link #read()}.
 * Stamps never go back; a read is at or after every stamp before it; and a stamp after a read is
 * strictly after it. So an answer made at {@code now} = N holds exactly the messages stamped at or
 * before N, which are the records a replay at N applies. (Two messages in the same millisecond as
 * an answer, one before it and one after, would otherwise both be "at N": the second is stamped
 * N + 1, a millisecond ahead of the wall clock at most while answers keep coming.)
 *
 * <p>Not thread-safe: the {@link Dashboard} actor owns it.
 */
final class RecordClock {
  private final LongSupplier wall;
  private long lastStamp = Long.MIN_VALUE;
  private long lastRead = Long.MIN_VALUE;

  RecordClock() {
    this(System::currentTimeMillis);
  }

  RecordClock(LongSupplier wall) {
    this.wall = wall;
  }

  /** The time of a message applied (and recorded) now: not before any earlier stamp, after any earlier read. */
  long stamp() {
    long t = Math.max(wall.getAsLong(), lastStamp);
    if (lastRead != Long.MIN_VALUE) {
      t = Math.max(t, lastRead + 1);
    }
    lastStamp = t;
    return t;
  }

  /** The time of an answer that shows the state now: at or after every stamp and read so far. */
  long read() {
    long t = Math.max(wall.getAsLong(), Math.max(lastStamp, lastRead));
    lastRead = t;
    return t;
  }
}
