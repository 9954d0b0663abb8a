package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Pekko Management's health checks on real nodes (separate JVMs on loopback): a worker is alive but
 * not ready (503) until it has registered with a scheduler, and ready (200) once the scheduler
 * acknowledged it; a scheduler is ready once its singleton answers and its API listens; a dashboard
 * on its own is ready while it follows the scheduler, and 503 once it has been cut off from it
 * (the scheduler killed).
 *
 * <p>The worker and the scheduler find each other by Cluster Bootstrap (config discovery, both
 * management ports as contact points, both needed): started first, the worker runs, with its
 * management server up, and no cluster to join.
 */
class HealthSystemTest {
  static final Duration START = Duration.ofSeconds(180);

  @Test
  void readyMeansRegisteredFollowingOrServingAndA503SaysWhyNot() throws Exception {
    int schedulerMgmt = LocalCluster.freePort();
    int workerMgmt = LocalCluster.freePort();
    int dashboardMgmt = LocalCluster.freePort();
    int clusterPort = LocalCluster.freePort();
    String contacts = "127.0.0.1:" + schedulerMgmt + ",127.0.0.1:" + workerMgmt;
    String worker = "http://127.0.0.1:" + workerMgmt;
    String scheduler = "http://127.0.0.1:" + schedulerMgmt;
    String dashboard = "http://127.0.0.1:" + dashboardMgmt;
    try (ManagementNodes nodes = new ManagementNodes("health")) {
      nodes.start("worker", "worker", "--host", "127.0.0.1", "--no-nanny", "--nthreads", "1",
          "--management-port", "" + workerMgmt, "--discovery", "config", "--discovery-hosts", contacts);

      // alive, not ready: no scheduler has acknowledged it
      LocalCluster.await(START, "the worker's /alive answers 200", () -> ManagementNodes.get(worker + "/alive").status() == 200);
      ManagementNodes.Answer notReady = ManagementNodes.get(worker + "/ready");
      assertEquals(503, notReady.status(), notReady.body());
      assertTrue(notReady.body().contains("worker not ready: no scheduler has acknowledged this worker yet"), notReady.body());

      nodes.start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "" + clusterPort, "--api-port", "0",
          "--no-dashboard", "--no-history", "--management-port", "" + schedulerMgmt,
          "--discovery", "config", "--discovery-hosts", contacts);
      LocalCluster.await(START, "the worker's /ready answers 200 once the scheduler acknowledged it",
          () -> ManagementNodes.get(worker + "/ready").status() == 200);
      assertEquals(200, ManagementNodes.get(scheduler + "/ready").status(), ManagementNodes.get(scheduler + "/ready").body());
      assertEquals(200, ManagementNodes.get(scheduler + "/alive").status());

      nodes.start("dashboard", "dashboard", "--host", "127.0.0.1", "--scheduler", "127.0.0.1:" + clusterPort,
          "--dashboard-port", "0", "--no-history", "--management-port", "" + dashboardMgmt);
      LocalCluster.await(START, "the dashboard's /ready answers 200 once it has the scheduler's snapshot",
          () -> ManagementNodes.get(dashboard + "/ready").status() == 200);

      // cut off: the scheduler dies; the failure detector notices (~6 s), then the bound (1 s) passes
      nodes.kill("scheduler");
      AtomicReference<ManagementNodes.Answer> last = new AtomicReference<>();
      LocalCluster.await(Duration.ofSeconds(60), "the dashboard's /ready answers 503 once cut off from the scheduler",
          () -> {
            last.set(ManagementNodes.get(dashboard + "/ready"));
            return last.get().status() == 503;
          });
      assertTrue(last.get().body().contains("dashboard not ready:"), last.get().body());
      LocalCluster.await(Duration.ofSeconds(60), "the worker's /ready answers 503 without its scheduler",
          () -> ManagementNodes.get(worker + "/ready").status() == 503);
    }
  }
}
