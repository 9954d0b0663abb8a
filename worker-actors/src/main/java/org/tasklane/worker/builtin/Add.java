package org.tasklane.worker.builtin;

import java.util.List;
import org.tasklane.worker.TaskFunction;

/** {@code add(a, b)}: a + b, a long if both are integral, else a double. */
public final class Add implements TaskFunction {
  private static final String EXPECTS = "2 numbers";

  @Override
  public String name() {
    return "add";
  }

  @Override
  public Object call(List<Object> args) {
    Args.count("add", args, 2, 2, EXPECTS);
    Number a = Args.number("add", EXPECTS, args.get(0));
    Number b = Args.number("add", EXPECTS, args.get(1));
    if (Args.isIntegral(a) && Args.isIntegral(b)) {
      return Math.addExact(Args.integral("add", EXPECTS, a), Args.integral("add", EXPECTS, b));
    }
    return a.doubleValue() + b.doubleValue();
  }
}
