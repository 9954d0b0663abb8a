package org.tasklane.system;

import java.time.Duration;

/** {@link CliRun} for tests in other packages (the browser tests). */
public final class CliRunAccess {
  private CliRunAccess() {}

  /** The outcome of one {@code bin/tasklane} command. */
  public record Result(int exit, String out, String err) {}

  public static Result run(String logDir, String label, Duration timeout, String... args) throws Exception {
    CliRun r = CliRun.run(logDir, label, timeout, args);
    return new Result(r.exit(), r.out(), r.err());
  }
}
