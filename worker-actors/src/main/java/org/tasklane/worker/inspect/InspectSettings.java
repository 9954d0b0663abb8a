package org.tasklane.worker.inspect;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code tasklane.worker.inspect} block: what a worker keeps and sends when a dashboard looks
 * at it up close (its log lines, a thread dump of its task threads).
 *
 * @param logs keep the last log lines in memory and send them on request (off: keep none, send nothing)
 * @param logLines log lines kept, at most (the oldest go first)
 * @param logBytes characters of log lines kept, at most, about (the oldest go first)
 * @param dumpInterval at most one thread dump per this; a request sooner is refused
 * @param dumpMaxFrames frames per thread in a dump, at most (innermost first)
 * @param dumpMaxChars characters of frames in a whole dump, at most
 */
public record InspectSettings(
    boolean logs, int logLines, long logBytes, Duration dumpInterval, int dumpMaxFrames, long dumpMaxChars) {

  public static final String CONFIG_PATH = "tasklane.worker.inspect";

  public InspectSettings {
    if (logLines < 1 || logBytes < 1024) {
      throw new IllegalArgumentException(CONFIG_PATH + ".log-lines must be at least 1 and log-bytes at least 1KiB, got "
          + logLines + " and " + logBytes);
    }
    if (dumpInterval.isNegative()) {
      throw new IllegalArgumentException(CONFIG_PATH + ".dump-interval must not be negative, got " + dumpInterval);
    }
    if (dumpMaxFrames < 1 || dumpMaxChars < 1024) {
      throw new IllegalArgumentException(CONFIG_PATH + ".dump-max-frames must be at least 1 and dump-max-bytes at "
          + "least 1KiB, got " + dumpMaxFrames + " and " + dumpMaxChars);
    }
  }

  /** Reads the block from a root configuration. */
  public static InspectSettings fromConfig(Config config) {
    Config c = config.getConfig(CONFIG_PATH);
    return new InspectSettings(c.getBoolean("logs"), c.getInt("log-lines"), c.getBytes("log-bytes"),
        c.getDuration("dump-interval"), c.getInt("dump-max-frames"), c.getBytes("dump-max-bytes"));
  }
}
