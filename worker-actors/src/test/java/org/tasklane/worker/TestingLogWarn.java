package org.tasklane.worker;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A task function that logs its argument as a warning: {@code logwarn(text)} (test resources only). */
public final class TestingLogWarn implements TaskFunction {
  private static final Logger log = LoggerFactory.getLogger(TestingLogWarn.class);

  @Override
  public String name() {
    return "logwarn";
  }

  @Override
  public Object call(List<Object> args) {
    log.warn("task says: {}", args.get(0));
    return null;
  }
}
