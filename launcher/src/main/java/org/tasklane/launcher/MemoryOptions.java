package org.tasklane.launcher;

import picocli.CommandLine.Option;

/**
 * A worker's memory management options, as Dask's {@code distributed.worker.memory.*}: fractions of
 * {@code --memory-limit} at which it spills, pauses and restarts (0 turns one off), and its spill
 * folder. Each sets {@code tasklane.worker.memory.*}; unset, the configuration's value stands.
 */
final class MemoryOptions {
  @Option(names = "--memory-target-fraction", paramLabel = "F",
      description = "Spill the least recently used results to disk when those in memory pass this fraction of "
          + "the memory limit (default 0.6; 0: off).")
  Double target;

  @Option(names = "--memory-spill-fraction", paramLabel = "F",
      description = "Spill more, down to the target, when the JVM heap in use passes this fraction (default 0.7; 0: off).")
  Double spill;

  @Option(names = "--memory-pause-fraction", paramLabel = "F",
      description = "Take no new tasks while the heap in use is above this fraction (default 0.8; 0: off).")
  Double pause;

  @Option(names = "--memory-terminate-fraction", paramLabel = "F",
      description = "Restart the worker (stop it, with --no-nanny) when the heap in use passes this fraction after a "
          + "garbage collection (default 0.95; 0: off).")
  Double terminate;

  @Option(names = "--spill-dir", paramLabel = "DIR",
      description = "Where the worker makes its spill folder (default: java.io.tmpdir/tasklane-spill).")
  String spillDir;

  @Option(names = "--spill-max", paramLabel = "SIZE", converter = ByteSize.class,
      description = "The most the spill folder holds, e.g. 50GiB (default 100GiB); past it results stay in memory.")
  Long spillMax;

  /** Checks the options (one-line errors) and sets what was given. */
  void apply(NodeConfig nc) {
    set(nc, "target", "--memory-target-fraction", target);
    set(nc, "spill", "--memory-spill-fraction", spill);
    set(nc, "pause", "--memory-pause-fraction", pause);
    set(nc, "terminate", "--memory-terminate-fraction", terminate);
    if (spillDir != null) {
      if (spillDir.isBlank()) {
        throw new TasklaneCli.UserError("--spill-dir must name a folder");
      }
      nc.set("tasklane.worker.memory.spill-dir", java.nio.file.Path.of(spillDir).toAbsolutePath().toString());
    }
    if (spillMax != null) {
      nc.set("tasklane.worker.memory.spill-max", spillMax);
    }
  }

  private static void set(NodeConfig nc, String key, String option, Double fraction) {
    if (fraction == null) {
      return;
    }
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new TasklaneCli.UserError(option + " must be a fraction from 0 (off) to 1, got " + fraction);
    }
    nc.set("tasklane.worker.memory." + key, fraction);
  }
}
