package org.tasklane.worker;

import java.util.List;
import java.util.Locale;

/** A user-style task function, registered only in the test resources: {@code shout(text)}. */
public final class TestingShout implements TaskFunction {
  @Override
  public String name() {
    return "shout";
  }

  @Override
  public Object call(List<Object> args) {
    if (args.size() != 1 || !(args.get(0) instanceof String)) {
      throw new IllegalArgumentException("shout expects 1 string, got " + args.size() + " arguments");
    }
    return ((String) args.get(0)).toUpperCase(Locale.ROOT) + "!";
  }
}
