package org.tasklane.launcher;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.tasklane.dashboard.DashboardMain;
import org.tasklane.dashboard.http.AccessControl;
import org.tasklane.protocol.api.TlsSetting;
import org.tasklane.scheduler.SchedulerMain;
import org.tasklane.scheduler.http.ApiAuthentication;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasklane scheduler}: the seed node, with the scheduler singleton and the client API. */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    description = "Start the scheduler: the cluster's seed node, holding the task table, with the client API "
        + "and the dashboard.")
final class SchedulerCommand implements Callable<Integer> {
  static final int DEFAULT_PORT = 17355;
  static final int DEFAULT_API_PORT = 8786;
  static final String DEFAULT_MAX_GRAPH_BYTES = "64MiB";

  @Option(names = "--host", description = "The address other hosts reach this one on (default: this host's address).")
  String host;

  @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, description = "Cluster port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind-address", description = "Interface to bind the cluster port to, if not --host (NAT, containers).")
  String bindAddress;

  @Option(names = "--api-port", defaultValue = "" + DEFAULT_API_PORT,
      description = "Client API port (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int apiPort;

  @Option(names = "--api-address", description = "Interface the client API binds to (default: --host).")
  String apiAddress;

  @Option(names = "--max-graph-bytes", paramLabel = "SIZE", converter = ByteSize.class,
      description = "The largest graph body the client API accepts, like 64MiB or 512KiB "
          + "(default: " + DEFAULT_MAX_GRAPH_BYTES + ", or tasklane.scheduler.api.max-graph-bytes from --config).")
  Long maxGraphBytes;

  @Option(names = "--no-dashboard", description = "Do not start the dashboard in this process "
      + "(run one elsewhere with 'tasklane dashboard --scheduler HOST').")
  boolean noDashboard;

  @picocli.CommandLine.Mixin HistoryOptions history;

  @picocli.CommandLine.Mixin WorkerLogsOption workerLogs;

  @picocli.CommandLine.Mixin ManagementOptions management;

  @Option(names = "--dashboard-port", defaultValue = "" + DashboardCommand.DEFAULT_DASHBOARD_PORT,
      description = "The dashboard's HTTP port (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int dashboardPort;

  @Option(names = "--dashboard-address", defaultValue = DashboardCommand.DEFAULT_DASHBOARD_ADDRESS,
      description = "Interface the dashboard binds to (default: ${DEFAULT-VALUE}, every interface).")
  String dashboardAddress;

  @Option(names = "--dashboard-prefix", defaultValue = "/", paramLabel = "PATH",
      description = "Path every dashboard route lies under, e.g. /tasklane behind a reverse proxy (default: ${DEFAULT-VALUE}).")
  String dashboardPrefix;

  @Option(names = "--cluster-name", defaultValue = NodeConfig.SYSTEM_NAME, paramLabel = "NAME",
      description = "The cluster's name; only workers and dashboards started with the same name can join "
          + "(default: ${DEFAULT-VALUE}).")
  String clusterName;

  @Option(names = "--auth-file", paramLabel = "FILE",
      description = "A file whose first line is the token that the client API and the embedded dashboard ask for "
          + "(Authorization: Bearer TOKEN, or HTTP Basic with the token as password). Default: no authentication.")
  File authFile;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file whose settings lie under the command line's.")
  File config;

  @Option(names = "--tls-dir", paramLabel = "DIR",
      description = "A TLS folder (made by 'tasklane certs'): keystore.p12, truststore.p12 and password (optionally "
          + "https-keystore.p12 and https-password for the HTTP ports), or a folder holding one such folder per "
          + "host, named by its address. The cluster port then speaks TLS with mutual authentication, and the "
          + "client API and the dashboard speak HTTPS only. Default: no TLS (or tasklane.tls.dir from --config).")
  File tlsDir;

  @Option(names = "--allow-code-upload",
      description = "Take jars (PUT /api/v1/code/SHA256) and graphs that run their classes without an auth file: "
          + "anyone who reaches the client API can then run code here, so only on a trusted network. "
          + "With --auth-file, holders of the token may upload anyway.")
  boolean allowCodeUpload;

  @Option(names = "--code-dir", paramLabel = "DIR",
      description = "Where uploaded jars are kept (default: a fresh folder under the temporary directory, "
          + "deleted when the scheduler stops).")
  File codeDir;

  @Override
  public Integer call() throws Exception {
    NodeLogging.start("scheduler");
    String h = host != null ? host : HostAddress.detect();
    String bind = bindAddress != null ? bindAddress : h;
    String apiHost = apiAddress != null ? apiAddress : h;
    NodeConfig.checkClusterName(clusterName);
    Ports.checkPort(port, "--port");
    Ports.checkPort(apiPort, "--api-port");
    if (!HostAddress.portFree(bind, port)) {
      throw new TasklaneCli.UserError("port " + port + " on " + bind + " is in use (another scheduler?); choose another with --port");
    }
    management.check(false, false, bind);
    if (!HostAddress.portFree(apiHost, apiPort)) {
      throw new TasklaneCli.UserError("port " + apiPort + " on " + apiHost + " is in use; choose another with --api-port");
    }
    if (!noDashboard) {
      Ports.checkPort(dashboardPort, "--dashboard-port");
      DashboardCommand.checkPrefix(dashboardPrefix);
      if (dashboardPort != 0 && (dashboardPort == apiPort || dashboardPort == port)) {
        throw new TasklaneCli.UserError("--dashboard-port " + dashboardPort + " is already the "
            + (dashboardPort == apiPort ? "--api-port" : "--port") + "; choose another, or use --no-dashboard");
      }
      if (!HostAddress.portFree(dashboardAddress, dashboardPort)) {
        throw new TasklaneCli.UserError("port " + dashboardPort + " on " + dashboardAddress
            + " is in use; choose another with --dashboard-port or use --no-dashboard");
      }
    }
    NodeConfig nc = new NodeConfig("scheduler", h, port, bindAddress)
        .clusterName(clusterName)
        .set("tasklane.scheduler.api.port", apiPort)
        .set("tasklane.scheduler.api.address", apiHost)
        .tlsDir(tlsDir)
        .file(config);
    if (!management.bootstrap()) {
      nc.seed(h, port); // the scheduler is the cluster's seed, unless Cluster Bootstrap forms the cluster
    }
    management.apply(nc, "scheduler", h, bindAddress, clusterName);
    if (maxGraphBytes != null) {
      nc.set("tasklane.scheduler.api.max-graph-bytes", maxGraphBytes);
    }
    if (!noDashboard) {
      nc.set("tasklane.dashboard.port", dashboardPort)
          .set("tasklane.dashboard.address", dashboardAddress)
          .set("tasklane.dashboard.prefix", dashboardPrefix);
      history.apply(nc);
      workerLogs.applyToDashboard(nc);
    }
    if (authFile != null) {
      nc.set(ApiAuthentication.AUTH_FILE, AuthFiles.path(authFile));
    }
    codeOptions(nc);
    com.typesafe.config.Config nodeConfig = nc.build();
    if (!noDashboard && nodeConfig.getString(AccessControl.AUTH_FILE).isBlank()) {
      // the embedded dashboard is protected by the API's token unless it has an auth file of its own
      nodeConfig = nodeConfig.withValue(AccessControl.AUTH_FILE, nodeConfig.getValue(ApiAuthentication.AUTH_FILE));
    }
    // read the auth files now: a missing, unreadable or empty one stops the start in one line
    AuthFiles.check(nodeConfig, ApiAuthentication.AUTH_FILE, "scheduler");
    String dashboardAuth = nodeConfig.getString(AccessControl.AUTH_FILE);
    if (!noDashboard && !dashboardAuth.equals(nodeConfig.getString(ApiAuthentication.AUTH_FILE))) {
      AuthFiles.check(nodeConfig, AccessControl.AUTH_FILE, "scheduler");
    }
    boolean tls = !nodeConfig.getString(TlsSetting.DIR).isBlank();
    SchedulerMain.Started started = SchedulerMain.start(nodeConfig, Duration.ofSeconds(30));
    Management.start(started.system(), "scheduler");
    String apiShown = "0.0.0.0".equals(apiHost) ? h : apiHost;
    org.slf4j.LoggerFactory.getLogger(SchedulerCommand.class).info(
        "Scheduler at {} ; client API at {}://{}:{}/api/v1/{}", NodeConfig.seedAddress(clusterName, h, port),
        tls ? "https" : "http", apiShown, started.api().getPort(),
        tls ? " ; TLS from " + nodeConfig.getString(TlsSetting.DIR) : "");
    if (!noDashboard) {
      java.net.InetSocketAddress dashboard;
      try {
        dashboard = DashboardMain.startIn(started.system(), Duration.ofSeconds(30));
      } catch (IllegalStateException e) {
        started.system().terminate();
        throw e;
      }
      org.slf4j.LoggerFactory.getLogger(SchedulerCommand.class).info("Dashboard at: {}",
          DashboardCommand.secure(DashboardCommand.url(h, dashboardAddress, dashboard.getPort(), dashboardPrefix), tls));
    }
    return NodeRunner.awaitTermination(started.system(), "scheduler");
  }

  /** {@code --allow-code-upload} and {@code --code-dir}, onto the node's configuration. */
  private void codeOptions(NodeConfig nc) {
    if (allowCodeUpload) {
      nc.set("tasklane.scheduler.code.allow-upload", true);
    }
    if (codeDir != null) {
      nc.set("tasklane.scheduler.code.dir", codeDir.getAbsolutePath());
    }
  }
}
