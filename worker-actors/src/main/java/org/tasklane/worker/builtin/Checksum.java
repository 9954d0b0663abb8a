package org.tasklane.worker.builtin;

import java.util.List;
import org.tasklane.worker.TaskFunction;

/**
 * {@code checksum(x, ...)}: the sum of every byte (0 to 255) of its bytes arguments plus its
 * integral arguments. A reduction over {@code bytes} results that reads each byte, so an answer
 * that is right proves every input arrived whole (from memory, a peer or the worker's spill folder).
 */
public final class Checksum implements TaskFunction {
  private static final String EXPECTS = "bytes or whole numbers";

  @Override
  public String name() {
    return "checksum";
  }

  @Override
  public Object call(List<Object> args) {
    Args.count("checksum", args, 1, Integer.MAX_VALUE, EXPECTS);
    long sum = 0;
    for (Object x : args) {
      if (x instanceof byte[] bytes) {
        for (byte b : bytes) {
          sum += b & 0xff;
        }
      } else {
        sum += Args.integral("checksum", EXPECTS, x);
      }
    }
    return sum;
  }
}
