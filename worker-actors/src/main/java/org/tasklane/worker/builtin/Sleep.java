package org.tasklane.worker.builtin;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tasklane.worker.TaskFunction;

/** {@code sleep(seconds, value?)}: sleeps, then returns value (or null). */
public final class Sleep implements TaskFunction {
  private static final String EXPECTS = "seconds and an optional value";

  @Override
  public String name() {
    return "sleep";
  }

  @Override
  public Object call(List<Object> args) throws InterruptedException {
    Args.count("sleep", args, 1, 2, EXPECTS);
    long nanos = Args.secondsAsNanos("sleep", EXPECTS, args.get(0));
    TimeUnit.NANOSECONDS.sleep(nanos);
    return args.size() > 1 ? args.get(1) : null;
  }
}
