package org.tasklane.worker.builtin;

import java.util.List;
import org.tasklane.worker.TaskFunction;

/** {@code identity(x)}: x. */
public final class Identity implements TaskFunction {

  @Override
  public String name() {
    return "identity";
  }

  @Override
  public Object call(List<Object> args) {
    Args.count("identity", args, 1, 1, "1 argument");
    return args.get(0);
  }
}
