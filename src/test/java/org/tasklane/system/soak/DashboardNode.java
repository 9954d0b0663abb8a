package org.tasklane.system.soak;

import com.fasterxml.jackson.databind.JsonNode;
import org.tasklane.system.LocalCluster;

/**
 * A dashboard running as its own process next to a {@link LocalCluster}, always on the same HTTP
 * port, which the soak kills (SIGKILL) and starts again.
 */
final class DashboardNode {
  static final String NAME = "dashboard";

  private final LocalCluster cluster;
  private final int port;

  DashboardNode(LocalCluster cluster, int port) {
    this.cluster = cluster;
    this.port = port;
  }

  String base() {
    return "http://127.0.0.1:" + port + "/";
  }

  int port() {
    return port;
  }

  void start() throws java.io.IOException {
    cluster.start(NAME, "dashboard", "--scheduler", "127.0.0.1:" + cluster.port(), "--host", "127.0.0.1",
        "--dashboard-port", "" + port, "--dashboard-address", "127.0.0.1");
  }

  void kill() throws InterruptedException {
    cluster.kill(NAME);
  }

  /** True once the dashboard answers and has the scheduler's state. */
  boolean isConnected() {
    JsonNode status = get("api/v1/status.json");
    return status != null && status.path("connected").asBoolean();
  }

  /** One of its JSON routes, or null if it does not answer 200. */
  JsonNode get(String path) {
    return LocalCluster.getJson(base() + path);
  }

}
