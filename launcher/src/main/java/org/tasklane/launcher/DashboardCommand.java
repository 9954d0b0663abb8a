package org.tasklane.launcher;

import java.io.File;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.tasklane.dashboard.DashboardMain;
import org.tasklane.dashboard.DashboardSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tasklane dashboard}: a dashboard of its own, on any host: joins the scheduler's cluster
 * (role {@code dashboard}) and serves the live pages. The scheduler embeds the same dashboard
 * unless started with {@code --no-dashboard}.
 */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = "Start a dashboard that joins the scheduler's cluster and serves the live pages from this host.")
final class DashboardCommand implements Callable<Integer> {
  static final int DEFAULT_DASHBOARD_PORT = 8787;
  static final String DEFAULT_DASHBOARD_ADDRESS = "0.0.0.0";

  @Option(names = "--scheduler", required = true, paramLabel = "HOST[:PORT]",
      description = "The scheduler's host and cluster port (default port " + SchedulerCommand.DEFAULT_PORT + ").")
  String scheduler;

  @Option(names = "--host", description = "The address other hosts reach this one on (default: this host's address).")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "Cluster port (default: any free port).")
  int port;

  @Option(names = "--bind-address", description = "Interface to bind the cluster port to, if not --host.")
  String bindAddress;

  @Option(names = "--dashboard-port", defaultValue = "" + DEFAULT_DASHBOARD_PORT,
      description = "The dashboard's HTTP port (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int dashboardPort;

  @Option(names = "--dashboard-address", defaultValue = DEFAULT_DASHBOARD_ADDRESS,
      description = "Interface the dashboard binds to (default: ${DEFAULT-VALUE}, every interface).")
  String dashboardAddress;

  @Option(names = "--dashboard-prefix", defaultValue = "/", paramLabel = "PATH",
      description = "Path every dashboard route lies under, e.g. /tasklane behind a reverse proxy (default: ${DEFAULT-VALUE}).")
  String dashboardPrefix;

  @Option(names = "--join-timeout", defaultValue = "60s", paramLabel = "DURATION",
      description = "Give up if the scheduler cannot be reached for this long (default: ${DEFAULT-VALUE}).")
  String joinTimeout;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file whose settings lie under the command line's.")
  File config;

  @Override
  public Integer call() throws Exception {
    NodeLogging.start("dashboard");
    String[] sp = HostAddress.hostAndPort(scheduler, SchedulerCommand.DEFAULT_PORT);
    String schedHost = sp[0];
    int schedPort = Integer.parseInt(sp[1]);
    Ports.checkPort(port, "--port");
    Ports.checkPort(dashboardPort, "--dashboard-port");
    checkPrefix(dashboardPrefix);
    Duration timeout = Durations.parse(joinTimeout, "--join-timeout");
    String h = host != null ? host : HostAddress.detect();
    String bind = bindAddress != null ? bindAddress : h;
    if (!HostAddress.portFree(bind, port)) {
      throw new TasklaneCli.UserError("port " + port + " on " + bind + " is in use; choose another with --port (or 0)");
    }
    if (!HostAddress.portFree(dashboardAddress, dashboardPort)) {
      throw new TasklaneCli.UserError("port " + dashboardPort + " on " + dashboardAddress
          + " is in use (another dashboard?); choose another with --dashboard-port");
    }
    com.typesafe.config.Config nodeConfig = new NodeConfig("dashboard", h, port, bindAddress)
        .seed(schedHost, schedPort)
        .set("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes", timeout.toMillis() + "ms")
        .set("tasklane.dashboard.port", dashboardPort)
        .set("tasklane.dashboard.address", dashboardAddress)
        .set("tasklane.dashboard.prefix", dashboardPrefix)
        .file(config)
        .build();
    String[] shown = {null};
    return NodeRunner.runRejoining("dashboard", () -> {
      SchedulerReachability.await("dashboard", schedHost, schedPort, timeout);
      DashboardMain.Started started = DashboardMain.start(nodeConfig, Duration.ofSeconds(30));
      String url = url(h, dashboardAddress, started.address().getPort(), dashboardPrefix);
      if (!url.equals(shown[0])) {
        org.slf4j.LoggerFactory.getLogger(DashboardCommand.class).info("Dashboard at: {}", url);
        shown[0] = url;
      }
      return started.system();
    });
  }

  /** A one-line usage error for a prefix the dashboard would not accept. */
  static void checkPrefix(String prefix) {
    try {
      DashboardSettings.prefixSegments(prefix);
    } catch (IllegalArgumentException e) {
      throw new TasklaneCli.UserError("--dashboard-prefix: " + e.getMessage());
    }
  }

  /**
   * The status page's URL as other machines reach it: the node's {@code --host} when the dashboard
   * listens on every interface (never 0.0.0.0), else the address it listens on.
   */
  static String url(String nodeHost, String dashboardAddress, int port, String prefix) {
    String a = dashboardAddress == null ? "" : dashboardAddress.trim();
    boolean everywhere = a.isEmpty() || a.equals("0.0.0.0") || a.equals("::") || a.equals("[::]")
        || a.equals("0:0:0:0:0:0:0:0");
    String shownHost = everywhere ? nodeHost : a;
    if (shownHost.contains(":") && !shownHost.startsWith("[")) {
      shownHost = "[" + shownHost + "]";
    }
    return "http://" + shownHost + ":" + port + DashboardSettings.prefixPath(prefix) + "status";
  }
}
