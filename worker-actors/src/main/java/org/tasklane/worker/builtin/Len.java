package org.tasklane.worker.builtin;

import java.util.List;
import java.util.Map;
import org.tasklane.worker.TaskFunction;

/** {@code len(x)}: the length of bytes, a string (in code points), a list or an object. */
public final class Len implements TaskFunction {
  private static final String EXPECTS = "1 value that is bytes, a string, a list or an object";

  @Override
  public String name() {
    return "len";
  }

  @Override
  public Object call(List<Object> args) {
    Args.count("len", args, 1, 1, EXPECTS);
    Object x = args.get(0);
    if (x instanceof byte[] bytes) {
      return (long) bytes.length;
    } else if (x instanceof String s) {
      return (long) s.codePointCount(0, s.length());
    } else if (x instanceof List<?> list) {
      return (long) list.size();
    } else if (x instanceof Map<?, ?> map) {
      return (long) map.size();
    }
    throw new IllegalArgumentException("len expects " + EXPECTS + ", got " + Args.describe(x));
  }
}
