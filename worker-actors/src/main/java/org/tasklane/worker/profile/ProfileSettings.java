package org.tasklane.worker.profile;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code tasklane.worker.profile} block: the worker's sampling profiler (JDK Flight Recorder's
 * execution samples, attributed to tasks, published as call trees per task group).
 *
 * @param enabled sample at all (off: no recording, no task history on the threads, nothing published)
 * @param period the sampling period of a running thread
 * @param interval one message per this, when there were samples
 * @param maxDepth frames per stack kept, outermost first (deeper ones fold into the last kept frame)
 * @param maxTreeNodes nodes per task group's tree in a message (the rarest branches fold into "(other)")
 * @param maxMessageNodes nodes in all trees of one message
 * @param maxGroups task groups per message (the samples of further groups go to "(other groups)")
 * @param history tasks remembered per thread (the samples arrive about a second late); runs of
 *     tasks of one group with no gap between them take one entry
 */
public record ProfileSettings(
    boolean enabled, Duration period, Duration interval, int maxDepth, int maxTreeNodes, int maxMessageNodes,
    int maxGroups, int history) {

  public static final String CONFIG_PATH = "tasklane.worker.profile";

  public ProfileSettings {
    if (period.toMillis() < 1 || period.toMillis() > 10_000) {
      throw new IllegalArgumentException(CONFIG_PATH + ".period must be between 1ms and 10s, got " + period);
    }
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException(CONFIG_PATH + ".interval must be at least 100ms, got " + interval);
    }
    if (maxDepth < 1 || maxTreeNodes < 1 || maxMessageNodes < 1 || maxGroups < 1) {
      throw new IllegalArgumentException(CONFIG_PATH + ": max-depth, max-tree-nodes, max-message-nodes and max-groups "
          + "must be at least 1, got " + maxDepth + ", " + maxTreeNodes + ", " + maxMessageNodes + " and " + maxGroups);
    }
    if (history < 2 || Integer.bitCount(history) != 1) {
      throw new IllegalArgumentException(CONFIG_PATH + ".history must be a power of two of at least 2, got " + history);
    }
  }

  /** Reads the block from a root configuration. */
  public static ProfileSettings fromConfig(Config config) {
    Config c = config.getConfig(CONFIG_PATH);
    return new ProfileSettings(c.getBoolean("enabled"), c.getDuration("period"), c.getDuration("interval"),
        c.getInt("max-depth"), c.getInt("max-tree-nodes"), c.getInt("max-message-nodes"), c.getInt("max-groups"),
        c.getInt("history"));
  }
}
