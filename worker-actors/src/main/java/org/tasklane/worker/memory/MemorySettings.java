package org.tasklane.worker.memory;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a worker manages its memory, from {@code tasklane.worker.memory-limit} and the {@code
 * tasklane.worker.memory} block: the limit, the fractions of it at which the worker spills, pauses
 * and restarts (0 turns one off), where it spills and how much.
 *
 * @param limitBytes the memory the worker may use; 0 means "the JVM's maximum heap"
 * @param target above this fraction of the limit in managed memory (results held), results are spilled
 * @param spill above this fraction in process memory (the JVM heap), results are spilled until it is below target
 * @param pause above this fraction in process memory, the worker takes no new tasks
 * @param terminate above this fraction in process memory, the worker restarts (stops, under no nanny)
 * @param spillDir the folder in which each worker makes its own spill folder
 * @param maxSpillBytes the most bytes a worker's spill folder holds
 * @param interval how often the worker measures its memory
 */
public record MemorySettings(
    long limitBytes, double target, double spill, double pause, double terminate, Path spillDir, long maxSpillBytes,
    Duration interval) {

  public MemorySettings {
    if (limitBytes < 0) {
      throw new IllegalArgumentException("memory-limit must be at least 0, got " + limitBytes);
    }
    check("target", target);
    check("spill", spill);
    check("pause", pause);
    check("terminate", terminate);
    if (maxSpillBytes < 0) {
      throw new IllegalArgumentException("memory.spill-max must be at least 0, got " + maxSpillBytes);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("memory.interval must be positive, got " + interval);
    }
  }

  private static void check(String name, double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("memory." + name + " must be a fraction from 0 (off) to 1, got " + fraction);
    }
  }

  /** Reads {@code tasklane.worker.memory-limit} and {@code tasklane.worker.memory} of this (root) configuration. */
  public static MemorySettings fromConfig(Config config) {
    Config c = config.getConfig("tasklane.worker.memory");
    String dir = c.getString("spill-dir");
    return new MemorySettings(
        config.getBytes("tasklane.worker.memory-limit"),
        c.getDouble("target"),
        c.getDouble("spill"),
        c.getDouble("pause"),
        c.getDouble("terminate"),
        dir.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir"), "tasklane-spill") : Path.of(dir),
        c.getBytes("spill-max"),
        c.getDuration("interval"));
  }

  /** The thresholds against the limit in force: the configured one, else the JVM's maximum heap. */
  public MemoryThresholds thresholds() {
    long limit = limitBytes > 0 ? limitBytes : Runtime.getRuntime().maxMemory();
    return new MemoryThresholds(limit, target, spill, pause, terminate);
  }
}
