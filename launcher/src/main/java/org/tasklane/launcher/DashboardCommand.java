package org.tasklane.launcher;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.tasklane.dashboard.DashboardMain;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.dashboard.http.AccessControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin JoinOptions join;

  @Mixin HistoryOptions history;

  @Mixin WorkerLogsOption workerLogs;

  @Option(names = "--dashboard-port", defaultValue = "" + DEFAULT_DASHBOARD_PORT,
      description = "The dashboard's HTTP port (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int dashboardPort;

  @Option(names = "--dashboard-address", defaultValue = DEFAULT_DASHBOARD_ADDRESS,
      description = "Interface the dashboard binds to (default: ${DEFAULT-VALUE}, every interface).")
  String dashboardAddress;

  @Option(names = "--dashboard-prefix", defaultValue = "/", paramLabel = "PATH",
      description = "Path every dashboard route lies under, e.g. /tasklane behind a reverse proxy (default: ${DEFAULT-VALUE}).")
  String dashboardPrefix;

  @Option(names = "--auth-file", paramLabel = "FILE",
      description = "A file whose first line is the token the dashboard asks for (Authorization: Bearer TOKEN, or "
          + "HTTP Basic with the token as password, as a browser's login prompt sends it). Default: no authentication.")
  java.io.File authFile;

  @Override
  public Integer call() throws Exception {
    NodeLogging.start("dashboard");
    join.check();
    Ports.checkPort(dashboardPort, "--dashboard-port");
    checkPrefix(dashboardPrefix);
    String h = join.host();
    if (!HostAddress.portFree(dashboardAddress, dashboardPort)) {
      throw new TasklaneCli.UserError("port " + dashboardPort + " on " + dashboardAddress
          + " is in use (another dashboard?); choose another with --dashboard-port");
    }
    NodeConfig nc = join.nodeConfig("dashboard")
        .set("tasklane.dashboard.port", dashboardPort)
        .set("tasklane.dashboard.address", dashboardAddress)
        .set("tasklane.dashboard.prefix", dashboardPrefix);
    history.apply(nc);
    workerLogs.applyToDashboard(nc);
    if (authFile != null) {
      nc.set(AccessControl.AUTH_FILE, AuthFiles.path(authFile));
    }
    com.typesafe.config.Config nodeConfig = nc.build();
    AuthFiles.check(nodeConfig, AccessControl.AUTH_FILE, "dashboard");
    String[] shown = {null};
    return NodeRunner.runRejoining("dashboard", () -> {
      join.awaitScheduler("dashboard", nodeConfig);
      DashboardMain.Started started = DashboardMain.start(nodeConfig, Duration.ofSeconds(30));
      Management.start(started.system(), "dashboard");
      String url = secure(url(h, dashboardAddress, started.address().getPort(), dashboardPrefix),
          !nodeConfig.getString(org.tasklane.protocol.api.TlsSetting.DIR).isBlank());
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
    return url(nodeHost, dashboardAddress, port, prefix, "status");
  }

  /** {@code url} (an {@code http://} one) as {@code https://} if {@code tls}. */
  static String secure(String url, boolean tls) {
    return tls && url.startsWith("http://") ? "https://" + url.substring("http://".length()) : url;
  }

  /** The URL of {@code page} (a route under the prefix) as other machines reach it, as {@link #url(String, String, int, String)}. */
  static String url(String nodeHost, String dashboardAddress, int port, String prefix, String page) {
    String a = dashboardAddress == null ? "" : dashboardAddress.trim();
    boolean everywhere = a.isEmpty() || a.equals("0.0.0.0") || a.equals("::") || a.equals("[::]")
        || a.equals("0:0:0:0:0:0:0:0");
    String shownHost = everywhere ? nodeHost : a;
    if (shownHost.contains(":") && !shownHost.startsWith("[")) {
      shownHost = "[" + shownHost + "]";
    }
    return "http://" + shownHost + ":" + port + DashboardSettings.prefixPath(prefix) + page;
  }
}
