package org.tasklane.worker;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The worker's one timer thread for task timeouts: every attempt with a time limit is watched by
 * it (a scheduled check, cancelled when the attempt ends in time), never by a thread of its own.
 * When an attempt runs past its limit, the watchdog interrupts the lane thread that runs it and
 * tells whoever watches, at once, whatever the function does next.
 *
 * <p>Java cannot stop a thread: a function that ignores its interrupt keeps its thread until it
 * returns (see {@link TaskLanes} for what becomes of the lane meanwhile).
 */
final class Watchdog implements AutoCloseable {
  private final ScheduledThreadPoolExecutor timer;

  Watchdog(String threadName) {
    this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread t = new Thread(runnable, threadName);
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true); // an attempt that ends in time leaves nothing queued behind
  }

  /** How an attempt ended, as its lane thread sees it once the function returned. */
  enum Ending {
    /** Before its limit: its result counts. */
    IN_TIME,
    /** After its limit, already reported as timed out: its result is dropped; the thread goes on as the lane. */
    LATE,
    /** So late that its lane went on with another thread: its result is dropped and this thread ends. */
    ABANDONED
  }

  /** One attempt of a task on a lane thread, watched. Its state changes under its own lock. */
  static final class Attempt {
    private enum State { RUNNING, DONE, TIMED_OUT, ABANDONED }

    final Thread thread;
    final long timeoutMillis;
    private State state = State.RUNNING;
    private ScheduledFuture<?> check;

    private Attempt(Thread thread, long timeoutMillis) {
      this.thread = thread;
      this.timeoutMillis = timeoutMillis;
    }

    /**
     * Called by the lane thread when the function returned. A late thread's interrupt (meant for
     * the function) is cleared here, under the lock the watchdog interrupts under, so that it cannot
     * land on the lane's next wait.
     */
    synchronized Ending finish() {
      switch (state) {
        case RUNNING -> {
          state = State.DONE;
          check.cancel(false);
          return Ending.IN_TIME;
        }
        case TIMED_OUT -> {
          state = State.DONE;
          Thread.interrupted();
          return Ending.LATE;
        }
        default -> {
          Thread.interrupted();
          return Ending.ABANDONED;
        }
      }
    }

    /** Past its limit: interrupts its thread; false if it ended first. */
    private synchronized boolean timeOut() {
      if (state != State.RUNNING) {
        return false;
      }
      state = State.TIMED_OUT;
      thread.interrupt();
      return true;
    }

    /** Still not back after its interrupt: its lane may go on without it; false if it came back. */
    synchronized boolean abandon() {
      if (state != State.TIMED_OUT) {
        return false;
      }
      state = State.ABANDONED;
      return true;
    }
  }

  /**
   * Watches an attempt on the calling thread: if it has not {@link Attempt#finish finished} within
   * {@code timeoutMillis}, its thread is interrupted and {@code onTimeout} runs on the watchdog's
   * thread.
   */
  Attempt watch(long timeoutMillis, Consumer<Attempt> onTimeout) {
    Attempt attempt = new Attempt(Thread.currentThread(), timeoutMillis);
    synchronized (attempt) {
      attempt.check = timer.schedule(() -> {
        if (attempt.timeOut()) {
          onTimeout.accept(attempt);
        }
      }, timeoutMillis, TimeUnit.MILLISECONDS);
    }
    return attempt;
  }

  /** Runs {@code action} on the watchdog's thread after {@code delay}. */
  void later(Duration delay, Runnable action) {
    timer.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** A duration as people write it: {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 2m}, {@code 1m30s}, {@code 1h}. */
  static String readable(long millis) {
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long secondsMillis = millis % 60_000;
    StringBuilder text = new StringBuilder();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(minutes).append('m');
    }
    if (secondsMillis > 0) {
      text.append(BigDecimal.valueOf(secondsMillis, 3).stripTrailingZeros().toPlainString()).append('s');
    }
    return text.toString();
  }
}
