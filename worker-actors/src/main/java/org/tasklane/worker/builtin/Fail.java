package org.tasklane.worker.builtin;

import java.util.List;
import org.tasklane.worker.TaskFunction;

/** {@code fail(message?, ...ignored)}: always throws a RuntimeException with the message. */
public final class Fail implements TaskFunction {
  static final String DEFAULT_MESSAGE = "fail was called";

  @Override
  public String name() {
    return "fail";
  }

  @Override
  public Object call(List<Object> args) {
    Object message = args.isEmpty() ? null : args.get(0);
    throw new RuntimeException(message == null ? DEFAULT_MESSAGE : String.valueOf(message));
  }
}
