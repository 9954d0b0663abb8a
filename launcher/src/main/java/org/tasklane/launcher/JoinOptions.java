package org.tasklane.launcher;

import java.io.File;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options of a node that joins the scheduler's cluster (workers, dashboards), and what they
 * mean: where the scheduler is, the address this node announces, and how long to try.
 */
final class JoinOptions {
  @Option(names = "--scheduler", paramLabel = "HOST[:PORT]",
      description = "The scheduler's host and cluster port (default port " + SchedulerCommand.DEFAULT_PORT + "). "
          + "Required unless the node finds the cluster by --discovery.")
  String scheduler;

  @picocli.CommandLine.Mixin ManagementOptions management;

  @Option(names = "--host", description = "The address other hosts reach this one on (default: this host's address).")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "Cluster port (default: any free port).")
  int port;

  @Option(names = "--bind-address", description = "Interface to bind the cluster port to, if not --host (NAT, containers).")
  String bindAddress;

  @Option(names = "--join-timeout", defaultValue = "60s", paramLabel = "DURATION",
      description = "Give up if the scheduler cannot be reached for this long at start (default: ${DEFAULT-VALUE}); "
          + "a node that lost its scheduler later waits for it without a limit.")
  String joinTimeout;

  @Option(names = "--cluster-name", defaultValue = NodeConfig.SYSTEM_NAME, paramLabel = "NAME",
      description = "The cluster's name; only a scheduler started with the same name lets this node join "
          + "(default: ${DEFAULT-VALUE}).")
  String clusterName;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file whose settings lie under the command line's.")
  File config;

  @Option(names = "--tls-dir", paramLabel = "DIR",
      description = "A TLS folder (made by 'tasklane certs'): keystore.p12, truststore.p12 and password (optionally "
          + "https-keystore.p12 and https-password for the HTTP ports), or a folder holding one such folder per "
          + "host, named by its address. The cluster port then speaks TLS with mutual authentication (the "
          + "scheduler's must be from the same CA), and a dashboard's HTTP port speaks HTTPS only. Default: no "
          + "TLS (or tasklane.tls.dir from --config).")
  File tlsDir;

  private String[] schedulerParts() {
    return HostAddress.hostAndPort(scheduler, SchedulerCommand.DEFAULT_PORT);
  }

  String schedulerHost() {
    return schedulerParts()[0];
  }

  int schedulerPort() {
    return Integer.parseInt(schedulerParts()[1]);
  }

  /** The announced address: --host, else this host's address. */
  String host() {
    return host != null ? host : HostAddress.detect();
  }

  Duration timeout() {
    return Durations.parse(joinTimeout, "--join-timeout");
  }

  /** Checks the options that need no network, and that the cluster port is free; one-line errors. */
  void check() {
    management.check(scheduler != null, true, bindAddress != null ? bindAddress : host());
    if (scheduler != null) {
      schedulerParts();
    }
    NodeConfig.checkClusterName(clusterName);
    Ports.checkPort(port, "--port");
    timeout();
    String bind = bindAddress != null ? bindAddress : host();
    if (!HostAddress.portFree(bind, port)) {
      throw new TasklaneCli.UserError("port " + port + " on " + bind + " is in use; choose another with --port (or 0)");
    }
  }

  /** The node finds its cluster by Cluster Bootstrap ({@code --discovery}), not by {@code --scheduler}. */
  boolean bootstrap() {
    return management.bootstrap();
  }

  /** The node's configuration: its role, address and cluster name, the scheduler as seed, the join deadline, --config. */
  NodeConfig nodeConfig(String role) {
    NodeConfig nc = new NodeConfig(role, host(), port, bindAddress)
        .clusterName(clusterName)
        .tlsDir(tlsDir)
        .file(config);
    if (scheduler != null) {
      nc.seed(schedulerHost(), schedulerPort())
          .set("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes", timeout().toMillis() + "ms");
    }
    management.apply(nc, role, host(), bindAddress, clusterName);
    return nc;
  }

  /**
   * Waits (saying so once) until the scheduler's port answers, then checks that this node's TLS
   * settings ({@code config}'s folder, or none) match the scheduler's ({@link TlsProbe}).
   */
  void awaitScheduler(String what, com.typesafe.config.Config config) throws InterruptedException {
    if (scheduler == null) {
      return; // Cluster Bootstrap finds the cluster, and waits for it
    }
    SchedulerReachability.await(what, schedulerHost(), schedulerPort(), timeout());
    TlsProbe.check(schedulerHost(), schedulerPort(), org.tasklane.protocol.api.TlsSetting.fromConfig(config),
        config.getBoolean(TlsNodeConfig.ENGINE + ".hostname-verification"));
  }
}
