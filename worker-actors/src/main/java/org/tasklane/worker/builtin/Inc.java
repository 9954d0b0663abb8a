package org.tasklane.worker.builtin;

import java.util.List;
import org.tasklane.worker.TaskFunction;

/** {@code inc(x)}: x + 1. */
public final class Inc implements TaskFunction {
  private static final String EXPECTS = "1 number";

  @Override
  public String name() {
    return "inc";
  }

  @Override
  public Object call(List<Object> args) {
    Args.count("inc", args, 1, 1, EXPECTS);
    return Args.plusOne("inc", EXPECTS, args.get(0));
  }
}
