package org.tasklane.worker.builtin;

import java.util.List;
import org.tasklane.worker.TaskFunction;

/**
 * {@code bytes(n, ...ignored)}: n bytes of deterministic content (byte i is {@code i % 251}).
 * Arguments after the first are ignored, so a task can depend on others through them.
 */
public final class Bytes implements TaskFunction {
  private static final String EXPECTS = "a byte count (and any ignored arguments)";
  /** The largest array a JVM reliably allocates. */
  private static final long MAX = Integer.MAX_VALUE - 8;

  @Override
  public String name() {
    return "bytes";
  }

  @Override
  public Object call(List<Object> args) {
    Args.count("bytes", args, 1, Integer.MAX_VALUE, EXPECTS);
    long n = Args.integral("bytes", EXPECTS, args.get(0));
    if (n < 0 || n > MAX) {
      throw new IllegalArgumentException("bytes expects a byte count between 0 and " + MAX + ", got " + n);
    }
    byte[] data = new byte[(int) n];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i % 251);
    }
    return data;
  }
}
