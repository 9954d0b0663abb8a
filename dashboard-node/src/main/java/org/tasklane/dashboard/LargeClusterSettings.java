package org.tasklane.dashboard;

import com.typesafe.config.Config;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * When the pages switch to their large-cluster modes (docs/dashboard.md, "A large cluster"), from
 * {@code tasklane.dashboard.large-cluster}: above {@code workers} workers or {@code hosts} hosts the
 * worker table shows hosts collapsed and draws only the rows on screen, the pages show worker
 * histograms, and the {@code workers} event comes every {@code workersInterval} instead of every second.
 */
public record LargeClusterSettings(int workers, int hosts, java.time.Duration workersInterval) {
  public static final String PATH = "tasklane.dashboard.large-cluster";
  /** The defaults of reference.conf: 100 workers, 20 hosts, every 2 s. */
  public static final LargeClusterSettings DEFAULT = new LargeClusterSettings(100, 20, java.time.Duration.ofSeconds(2));

  public LargeClusterSettings {
    if (workers < 1 || hosts < 1) {
      throw new IllegalArgumentException(PATH + ".workers and .hosts must be at least 1, got " + workers + " and "
          + hosts);
    }
    if (workersInterval.toMillis() < 1000) {
      throw new IllegalArgumentException(PATH + ".workers-interval must be at least 1s, got " + workersInterval);
    }
  }

  public static LargeClusterSettings fromConfig(Config config) {
    Config c = config.getConfig(PATH);
    return new LargeClusterSettings(c.getInt("workers"), c.getInt("hosts"), c.getDuration("workers-interval"));
  }

  /** Whether these rows make a large cluster: more workers, or more hosts, than the thresholds. */
  public boolean isLarge(List<DashboardView.Worker> rows) {
    if (rows.size() > workers) {
      return true;
    }
    Set<String> seen = new HashSet<>();
    for (DashboardView.Worker w : rows) {
      if (seen.add(String.valueOf(w.host())) && seen.size() > hosts) {
        return true;
      }
    }
    return false;
  }
}
