package org.tasklane.worker.builtin;

import java.util.List;
import org.tasklane.worker.TaskFunction;

/**
 * {@code sum(...)}: the sum of all arguments; an argument that is a list adds the sum of its
 * elements. A long if every number is integral, else a double. No arguments sum to 0.
 */
public final class Sum implements TaskFunction {
  private static final String EXPECTS = "numbers or lists of numbers";

  @Override
  public String name() {
    return "sum";
  }

  @Override
  public Object call(List<Object> args) {
    long longSum = 0;
    double doubleSum = 0;
    boolean integral = true;
    for (Object arg : args) {
      if (arg == null) {
        throw new IllegalArgumentException("sum expects " + EXPECTS + ", got null");
      }
      List<?> parts = arg instanceof List<?> list ? list : List.of(arg);
      for (Object part : parts) {
        Number n = Args.number("sum", EXPECTS, part);
        if (integral && Args.isIntegral(n)) {
          longSum = Math.addExact(longSum, Args.integral("sum", EXPECTS, n));
        } else {
          if (integral) {
            doubleSum = longSum;
            integral = false;
          }
          doubleSum += n.doubleValue();
        }
      }
    }
    return integral ? (Object) longSum : (Object) doubleSum;
  }
}
