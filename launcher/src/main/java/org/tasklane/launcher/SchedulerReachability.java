package org.tasklane.launcher;

import java.time.Duration;

/** Waits until the scheduler's cluster port answers, saying so once, in one line, if it does not. */
final class SchedulerReachability {
  private SchedulerReachability() {}

  /**
   * Returns once a TCP connection to the scheduler succeeds; throws a one-line {@link TasklaneCli.UserError}
   * naming the address it tried after {@code timeout}.
   */
  static void await(String what, String host, int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean told = false;
    while (true) {
      String problem = HostAddress.tryConnect(host, port, 2000);
      if (problem == null) {
        if (told) {
          System.err.println(what + ": the scheduler at " + host + ":" + port + " is reachable now; joining");
        }
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new TasklaneCli.UserError("cannot reach the scheduler at " + host + ":" + port + " (" + problem
            + ") after " + timeout.toSeconds() + " s; is it running, and is --scheduler right?");
      }
      if (!told) {
        System.err.println(what + ": cannot reach the scheduler at " + host + ":" + port + " (" + problem
            + "); retrying for up to " + timeout.toSeconds() + " s");
        told = true;
      }
      Thread.sleep(500);
    }
  }
}
