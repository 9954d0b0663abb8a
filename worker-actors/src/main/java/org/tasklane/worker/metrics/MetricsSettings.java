package org.tasklane.worker.metrics;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code tasklane.worker.metrics} block: where the worker serves {@code /metrics} for
 * Prometheus, and the bound on its task-group label.
 *
 * @param port the port; -1 = no metrics port (the default), 0 = any free port (logged)
 * @param address the interface to bind; empty = the host other machines reach the worker on
 * @param maxGroups task groups with a duration series of their own at once (the rest: {@code other})
 * @param groupIdle how long a group's series stays after its last task before a new group may take its place
 */
public record MetricsSettings(int port, String address, int maxGroups, Duration groupIdle) {
  public static final String CONFIG_PATH = "tasklane.worker.metrics";
  /** No port, the default bounds. */
  public static final MetricsSettings DEFAULT = new MetricsSettings(-1, "", 32, Duration.ofMinutes(10));

  public MetricsSettings {
    address = address == null ? "" : address;
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException("tasklane.worker.metrics.port must be -1 (off), 0 (any free port) or a "
          + "port up to 65535, got " + port);
    }
    if (maxGroups < 1) {
      throw new IllegalArgumentException("tasklane.worker.metrics.max-groups must be at least 1, got " + maxGroups);
    }
    if (groupIdle == null || groupIdle.isNegative()) {
      throw new IllegalArgumentException("tasklane.worker.metrics.group-idle must not be negative, got " + groupIdle);
    }
  }

  public static MetricsSettings fromConfig(Config config) {
    Config c = config.getConfig(CONFIG_PATH);
    return new MetricsSettings(c.getInt("port"), c.getString("address"), c.getInt("max-groups"),
        c.getDuration("group-idle"));
  }

  /** Whether the worker serves {@code /metrics} at all. */
  public boolean enabled() {
    return port >= 0;
  }
}
