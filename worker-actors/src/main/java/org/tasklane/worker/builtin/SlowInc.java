package org.tasklane.worker.builtin;

import java.util.List;
import org.tasklane.worker.TaskFunction;

/**
 * {@code slowinc(x, delaySeconds=0.1)}: keeps the CPU busy for the delay (it does not sleep), then
 * returns x + 1. Meant for load tests that need real CPU work per task.
 */
public final class SlowInc implements TaskFunction {
  private static final String EXPECTS = "a number and an optional delay in seconds";
  private static final double DEFAULT_DELAY_SECONDS = 0.1;

  /** Written so that the busy loop cannot be optimized away. */
  private static volatile long sink;

  @Override
  public String name() {
    return "slowinc";
  }

  @Override
  public Object call(List<Object> args) {
    Args.count("slowinc", args, 1, 2, EXPECTS);
    Number result = Args.plusOne("slowinc", EXPECTS, args.get(0));
    long nanos = args.size() > 1
        ? Args.secondsAsNanos("slowinc", EXPECTS, args.get(1))
        : (long) (DEFAULT_DELAY_SECONDS * 1e9);
    long deadline = System.nanoTime() + nanos;
    long spins = 0;
    while (System.nanoTime() - deadline < 0) {
      spins++;
    }
    sink = spins;
    return result;
  }
}
