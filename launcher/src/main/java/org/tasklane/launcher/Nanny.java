package org.tasklane.launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A small parent process that runs a worker as a child JVM (the same java, JVM options and class
 * path, the same command line plus {@link NannyOptions#CHILD_FLAG}) and starts it again when it
 * dies, as its {@link RestartPolicy} says. No actor system: a loop around {@link ProcessBuilder}.
 * SIGTERM or SIGINT to the nanny stops the child gracefully (SIGTERM, then SIGKILL after
 * {@code stopTimeout}), and the nanny exits with the child's code. Routine lines go to standard
 * output, restarts and giving up to standard error; the child's output is the nanny's.
 */
final class Nanny {
  private final String what;
  private final List<String> command;
  private final RestartPolicy policy;
  private final Duration stopTimeout;
  private final long startNanos = System.nanoTime();
  private final Object lock = new Object();
  private Process child; // guarded by lock; the running child, or null
  private boolean stopping; // guarded by lock

  Nanny(String what, List<String> command, RestartPolicy policy, Duration stopTimeout) {
    this.what = what;
    this.command = List.copyOf(command);
    this.policy = policy;
    this.stopTimeout = stopTimeout;
  }

  /** The command that runs {@code bin/tasklane ARGS} in a JVM like this one. */
  static List<String> javaCommand(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TasklaneCli.class.getName());
    cmd.addAll(args);
    return cmd;
  }

  /** Runs the child until it stops for good; returns the code to exit with. */
  int run() throws IOException, InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "nanny-stop"));
    while (true) {
      Process p;
      synchronized (lock) {
        if (stopping) {
          return 0; // the shutdown hook decides the exit code
        }
        p = new ProcessBuilder(command).inheritIO().start();
        child = p;
      }
      System.out.println("nanny: " + what + " started (pid " + p.pid() + ")");
      long born = System.nanoTime();
      int code = p.waitFor();
      Duration lived = Duration.ofNanos(System.nanoTime() - born);
      synchronized (lock) {
        child = null;
        if (stopping) {
          return code;
        }
      }
      String exited = "nanny: " + what + " (pid " + p.pid() + ") exited with code " + code + " after "
          + seconds(lived) + ChildExit.describe(code);
      RestartPolicy.Decision d = policy.onExit(code, lived, Duration.ofNanos(System.nanoTime() - startNanos));
      if (d instanceof RestartPolicy.Stop stop) {
        if (stop.why() == ChildExit.Kind.ASKED) {
          System.out.println(exited + "; it was asked to stop, so the nanny stops too");
        } // REFUSED: the child said why in one line; nothing to add to it
        return stop.exitCode();
      }
      if (d instanceof RestartPolicy.GiveUp g) {
        System.err.println(exited + "; " + (policy.maxRestarts() == 0 ? "restarts are off (--max-restarts 0)"
            : "restarted " + g.restarts() + (g.restarts() == 1 ? " time" : " times") + " in the last " + seconds(policy.window()) + " already (--max-restarts "
                + policy.maxRestarts() + ", --restart-window)") + ": the nanny gives up");
        return g.exitCode();
      }
      RestartPolicy.Restart r = (RestartPolicy.Restart) d;
      System.err.println(exited + "; restarting it in " + seconds(r.delay()) + " (restart " + r.restart() + ")");
      if (!pause(r.delay())) {
        return code;
      }
    }
  }

  /** Waits before a restart; false if the nanny is stopping meanwhile. */
  private boolean pause(Duration delay) throws InterruptedException {
    long until = System.nanoTime() + delay.toNanos();
    synchronized (lock) {
      for (long left = delay.toNanos(); left > 0 && !stopping; left = until - System.nanoTime()) {
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return !stopping;
    }
  }

  /** The shutdown hook (SIGTERM, SIGINT): stop the child gracefully, then exit with its code. */
  private void stop() {
    Process p;
    synchronized (lock) {
      stopping = true;
      p = child;
      lock.notifyAll();
    }
    if (p == null) {
      return; // between two children, or done: nothing to stop
    }
    System.out.println("nanny: stopping the " + what + " (pid " + p.pid() + ")");
    p.destroy();
    int code;
    try {
      if (!p.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println("nanny: the " + what + " (pid " + p.pid() + ") did not stop within "
            + stopTimeout.toSeconds() + " s of SIGTERM; killing it");
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      code = p.isAlive() ? TasklaneCli.EXIT_FAILURE : p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      code = TasklaneCli.EXIT_FAILURE;
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(ChildExit.userCode(code));
  }

  /** {@code 12.3 s}, or {@code 1 s} for whole seconds. */
  static String seconds(Duration d) {
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + " s";
    }
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
