package org.tasklane.worker.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tasklane.worker.TaskFunction;

/**
 * {@code hold(n, seconds)}: allocates n bytes of heap (in pieces of 8 MiB, each written so the
 * memory is really used), holds them for the given seconds, lets them go and returns n. A task
 * that takes memory its worker does not manage: for trying the worker's pause and restart.
 */
public final class Hold implements TaskFunction {
  private static final String EXPECTS = "a byte count and seconds";
  private static final int PIECE = 8 << 20;

  @Override
  public String name() {
    return "hold";
  }

  @Override
  public Object call(List<Object> args) throws InterruptedException {
    Args.count("hold", args, 2, 2, EXPECTS);
    long n = Args.integral("hold", EXPECTS, args.get(0));
    if (n < 0) {
      throw new IllegalArgumentException("hold expects a byte count of at least 0, got " + n);
    }
    long nanos = Args.secondsAsNanos("hold", EXPECTS, args.get(1));
    List<byte[]> held = new ArrayList<>();
    for (long left = n; left > 0; left -= PIECE) {
      byte[] piece = new byte[(int) Math.min(PIECE, left)];
      for (int i = 0; i < piece.length; i += 4096) {
        piece[i] = 1;
      }
      held.add(piece);
    }
    TimeUnit.NANOSECONDS.sleep(nanos);
    held.clear();
    return n;
  }
}
