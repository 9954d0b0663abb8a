package org.tasklane.dashboard.history;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code tasklane.dashboard.history} block (see {@code reference.conf}).
 *
 * @param enabled false: nothing is recorded and the runs pages list nothing ({@code --no-history})
 * @param dir the history folder (relative paths: under the working folder)
 * @param maxRuns past this many runs the oldest files are deleted
 * @param maxBytes past this many bytes in all the oldest files are deleted
 * @param maxOpenRuns runs recorded at once; a run that starts past it is not recorded
 * @param queueMessages messages the writer's queue holds; past it (or {@code queueTasks}) they are dropped
 * @param queueTasks task records the writer's queue holds
 * @param checkpointEvery how often (run time) a checkpoint of each open run is written
 */
public record HistorySettings(
    boolean enabled, Path dir, int maxRuns, long maxBytes, int maxOpenRuns, int queueMessages, int queueTasks,
    Duration checkpointEvery) {

  public HistorySettings {
    if (maxRuns < 1) {
      throw new IllegalArgumentException("tasklane.dashboard.history.max-runs must be at least 1, got " + maxRuns);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("tasklane.dashboard.history.max-bytes must be positive, got " + maxBytes);
    }
    if (maxOpenRuns < 1 || queueMessages < 1 || queueTasks < 1) {
      throw new IllegalArgumentException(
          "tasklane.dashboard.history.max-open-runs, queue-messages and queue-tasks must be at least 1");
    }
    if (checkpointEvery.isNegative() || checkpointEvery.isZero()) {
      throw new IllegalArgumentException("tasklane.dashboard.history.checkpoint-every must be positive");
    }
  }

  public static HistorySettings fromConfig(Config config) {
    Config c = config.getConfig("tasklane.dashboard.history");
    return new HistorySettings(c.getBoolean("enabled"), Path.of(c.getString("dir")), c.getInt("max-runs"),
        c.getBytes("max-bytes"), c.getInt("max-open-runs"), c.getInt("queue-messages"), c.getInt("queue-tasks"),
        c.getDuration("checkpoint-every"));
  }

  /** These settings with another folder (tests). */
  public HistorySettings withDir(Path d) {
    return new HistorySettings(enabled, d, maxRuns, maxBytes, maxOpenRuns, queueMessages, queueTasks, checkpointEvery);
  }
}
