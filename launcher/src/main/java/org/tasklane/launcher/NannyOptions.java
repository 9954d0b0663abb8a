package org.tasklane.launcher;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options of a process that runs under a nanny (a worker): whether it has one, how often the
 * nanny restarts it, and, hidden, the flag that marks the child the nanny starts.
 */
final class NannyOptions {
  /** Marks the process a nanny started (followed by the nanny's pid); it does not start a nanny itself. */
  static final String CHILD_FLAG = "--nanny-child";

  @Option(names = "--no-nanny",
      description = "Run the worker in this process, without a nanny that starts it again when it dies.")
  boolean noNanny;

  @Option(names = "--max-restarts", defaultValue = "" + RestartPolicy.DEFAULT_MAX_RESTARTS, paramLabel = "N",
      description = "The nanny gives up after this many restarts within --restart-window (default: ${DEFAULT-VALUE}; "
          + "0: never restart).")
  int maxRestarts;

  @Option(names = "--restart-window", defaultValue = RestartPolicy.DEFAULT_WINDOW, paramLabel = "DURATION",
      description = "See --max-restarts (default: ${DEFAULT-VALUE}).")
  String restartWindow;

  @Option(names = CHILD_FLAG, hidden = true, paramLabel = "NANNY_PID")
  Long nannyPid;

  /** True if this process should be a nanny: it was not told otherwise and is not a nanny's child. */
  boolean wanted() {
    return !noNanny && nannyPid == null;
  }

  /** Checks the options; one-line errors. */
  RestartPolicy policy() {
    if (maxRestarts < 0) {
      throw new TasklaneCli.UserError("--max-restarts must be at least 0, got " + maxRestarts);
    }
    Duration window = Durations.parse(restartWindow, "--restart-window");
    if (window.isZero()) {
      throw new TasklaneCli.UserError("--restart-window must be longer than 0");
    }
    return RestartPolicy.standard(maxRestarts, window);
  }

  /** True if these command-line arguments start a nanny's child. */
  static boolean isChild(String[] args) {
    return Arrays.asList(args).contains(CHILD_FLAG);
  }

  /** The child's arguments: this process's, and the flag with this process's pid. */
  static List<String> childArgs(List<String> args) {
    List<String> all = new java.util.ArrayList<>(args);
    all.add(CHILD_FLAG);
    all.add(String.valueOf(ProcessHandle.current().pid()));
    return all;
  }

  /**
   * In a nanny's child: when the nanny is gone (killed with SIGKILL, say), this process stops too,
   * gracefully, rather than run on with nobody to stop it.
   */
  void stopWhenNannyGoes(String what) {
    if (nannyPid == null) {
      return;
    }
    Optional<ProcessHandle> nanny = ProcessHandle.of(nannyPid);
    java.util.concurrent.CompletableFuture<?> gone = nanny.isPresent()
        ? nanny.get().onExit()
        : java.util.concurrent.CompletableFuture.completedFuture(null);
    gone.thenRun(() -> {
      System.err.println(what + ": its nanny (pid " + nannyPid + ") is gone; stopping");
      new Thread(() -> System.exit(0), "nanny-gone").start();
    });
  }
}
