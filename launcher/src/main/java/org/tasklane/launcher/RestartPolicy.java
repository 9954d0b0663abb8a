package org.tasklane.launcher;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When a nanny starts its worker again, as a pure class (times are given, not read): a worker that
 * died is restarted after a back-off that starts at {@code firstDelay} and doubles up to
 * {@code maxDelay}, and starts over once a worker has lived {@code stableAfter}; after
 * {@code maxRestarts} restarts within {@code window} the nanny gives up. A worker that was asked to
 * stop, or refused to run (see {@link ChildExit}), is not restarted.
 */
final class RestartPolicy {
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofSeconds(30);
  static final Duration STABLE_AFTER = Duration.ofMinutes(1);
  static final int DEFAULT_MAX_RESTARTS = 10;
  static final String DEFAULT_WINDOW = "5m";

  /** What to do about a worker that exited. */
  sealed interface Decision permits Stop, Restart, GiveUp {}

  /** Do not start it again; exit with {@code exitCode}. */
  record Stop(int exitCode, ChildExit.Kind why) implements Decision {}

  /** Start it again after {@code delay}; this is restart number {@code restart} since the nanny started. */
  record Restart(Duration delay, int restart) implements Decision {}

  /** It was restarted {@code restarts} times within the window already: exit with {@code exitCode}. */
  record GiveUp(int exitCode, int restarts) implements Decision {}

  private final Duration firstDelay;
  private final Duration maxDelay;
  private final Duration stableAfter;
  private final int maxRestarts;
  private final Duration window;
  /** When the restarts within the window were decided, oldest first. */
  private final Deque<Duration> recent = new ArrayDeque<>();
  private Duration nextDelay;
  private int restarts;

  RestartPolicy(Duration firstDelay, Duration maxDelay, Duration stableAfter, int maxRestarts, Duration window) {
    if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0 || maxRestarts < 0 || window.isNegative()) {
      throw new IllegalArgumentException("bad restart policy: " + firstDelay + ", " + maxDelay + ", " + maxRestarts
          + " in " + window);
    }
    this.firstDelay = firstDelay;
    this.maxDelay = maxDelay;
    this.stableAfter = stableAfter;
    this.maxRestarts = maxRestarts;
    this.window = window;
    this.nextDelay = firstDelay;
  }

  /** 1 s doubling to 30 s, starting over after a minute's life; at most {@code maxRestarts} in {@code window}. */
  static RestartPolicy standard(int maxRestarts, Duration window) {
    return new RestartPolicy(FIRST_DELAY, MAX_DELAY, STABLE_AFTER, maxRestarts, window);
  }

  int maxRestarts() {
    return maxRestarts;
  }

  Duration window() {
    return window;
  }

  /**
   * The worker exited with {@code code} after living {@code lived}; {@code now} is the time since
   * the nanny started.
   */
  Decision onExit(int code, Duration lived, Duration now) {
    ChildExit.Kind kind = ChildExit.kind(code);
    if (kind != ChildExit.Kind.DIED) {
      return new Stop(ChildExit.userCode(code), kind);
    }
    while (!recent.isEmpty() && now.minus(recent.peekFirst()).compareTo(window) >= 0) {
      recent.removeFirst();
    }
    if (recent.size() >= maxRestarts) {
      return new GiveUp(code == 0 ? TasklaneCli.EXIT_FAILURE : code, recent.size());
    }
    if (lived.compareTo(stableAfter) >= 0) {
      nextDelay = firstDelay;
    }
    Duration delay = nextDelay;
    nextDelay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
    recent.addLast(now);
    restarts++;
    return new Restart(delay, restarts);
  }
}
