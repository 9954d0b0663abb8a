package org.tasklane.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.dashboard.HistoryServer;
import org.tasklane.dashboard.http.AccessControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tasklane history --dir DIR}: the runs pages of a history folder, with no cluster (like
 * Spark's history server): for a folder copied off a cluster, or a cluster that has stopped. It
 * only reads the folder, and lists runs added to it later.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Serve the runs pages of a run-history folder, with no cluster (read-only).")
final class HistoryCommand implements Callable<Integer> {
  static final int DEFAULT_PORT = 8788;

  @Option(names = "--dir", required = true, paramLabel = "DIR",
      description = "The history folder (a dashboard's --history-dir, default tasklane-history). Only read: "
          + "nothing in it is written, locked or deleted.")
  File dir;

  @Option(names = "--port", defaultValue = "" + DEFAULT_PORT,
      description = "The HTTP port (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int port;

  @Option(names = "--address", defaultValue = DashboardCommand.DEFAULT_DASHBOARD_ADDRESS,
      description = "Interface to bind to (default: ${DEFAULT-VALUE}, every interface; 127.0.0.1 for this host only).")
  String address;

  @Option(names = "--prefix", defaultValue = "/", paramLabel = "PATH",
      description = "Path every route lies under, e.g. /history behind a reverse proxy (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--auth-file", paramLabel = "FILE",
      description = "A file whose first line is the token every request must carry (Authorization: Bearer TOKEN, "
          + "or HTTP Basic with the token as password). Default: no authentication.")
  File authFile;

  @Option(names = "--max-runs", paramLabel = "N",
      description = "List at most the newest N runs of the folder (default: tasklane.dashboard.history.max-runs, 1000).")
  Integer maxRuns;

  @Option(names = "--host", paramLabel = "HOST",
      description = "The host name shown in the 'History at' line when binding every interface (default: this host's address).")
  String host;

  @Override
  public Integer call() throws Exception {
    NodeLogging.start("history");
    Ports.checkPort(port, "--port");
    try {
      DashboardSettings.prefixSegments(prefix);
    } catch (IllegalArgumentException e) {
      throw new TasklaneCli.UserError("--prefix: " + e.getMessage());
    }
    if (maxRuns != null && maxRuns < 1) {
      throw new TasklaneCli.UserError("--max-runs must be at least 1, got " + maxRuns);
    }
    if (!HostAddress.portFree(address, port)) {
      throw new TasklaneCli.UserError("port " + port + " on " + address + " is in use; choose another with --port (or 0)");
    }
    Config config = config();
    AuthFiles.check(config, AccessControl.AUTH_FILE, "history");
    HistoryServer.Started started = HistoryServer.start(dir.toPath(), config, Duration.ofSeconds(30));
    String url = DashboardCommand.url(host != null ? host : HostAddress.detect(), address, started.address().getPort(),
        prefix, "runs");
    org.slf4j.LoggerFactory.getLogger(HistoryCommand.class).info("History at: {}", url);
    return NodeRunner.awaitTermination(started.system(), "history");
  }

  /**
   * A plain local actor system's configuration (no cluster, no remoting): the options over every
   * module's {@code reference.conf}.
   */
  private Config config() {
    Map<String, Object> o = new HashMap<>();
    o.put("tasklane.dashboard.address", address);
    o.put("tasklane.dashboard.port", port);
    o.put("tasklane.dashboard.prefix", prefix);
    if (authFile != null) {
      o.put(AccessControl.AUTH_FILE, AuthFiles.path(authFile));
    }
    if (maxRuns != null) {
      o.put("tasklane.dashboard.history.max-runs", maxRuns);
    }
    o.put("pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"));
    o.put("pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter");
    o.put("pekko.actor.provider", "local");
    return ConfigFactory.parseMap(o).withFallback(ConfigFactory.load());
  }
}
