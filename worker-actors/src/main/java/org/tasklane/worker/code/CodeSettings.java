package org.tasklane.worker.code;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The worker's settings for {@code java:} functions, from {@code tasklane.worker.code}.
 *
 * @param idleClose a class loader no task has used for this long is closed
 * @param maxLoaders at most this many class loaders are open (the least recently used idle one goes first)
 * @param fetchTimeout how long a task waits for its jars before it errs
 */
public record CodeSettings(Duration idleClose, int maxLoaders, Duration fetchTimeout) {

  /** Where the settings live in the configuration. */
  public static final String CONFIG_PATH = "tasklane.worker.code";

  public CodeSettings {
    if (idleClose == null || idleClose.isNegative() || idleClose.isZero()) {
      throw new IllegalArgumentException(CONFIG_PATH + ".idle-close must be positive, got " + idleClose);
    }
    if (maxLoaders < 1) {
      throw new IllegalArgumentException(CONFIG_PATH + ".max-loaders must be at least 1, got " + maxLoaders);
    }
    if (fetchTimeout == null || fetchTimeout.isNegative() || fetchTimeout.isZero()) {
      throw new IllegalArgumentException(CONFIG_PATH + ".fetch-timeout must be positive, got " + fetchTimeout);
    }
  }

  /** Read the {@code tasklane.worker.code} block of this (root) configuration. */
  public static CodeSettings fromConfig(Config root) {
    Config c = root.getConfig(CONFIG_PATH);
    return new CodeSettings(c.getDuration("idle-close"), c.getInt("max-loaders"), c.getDuration("fetch-timeout"));
  }
}
