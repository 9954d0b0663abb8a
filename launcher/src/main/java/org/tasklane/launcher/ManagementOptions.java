package org.tasklane.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * A node's Pekko Management options: {@code --management-port} (the {@code /alive} and
 * {@code /ready} health checks) and Cluster Bootstrap ({@code --discovery}, {@code --discovery-hosts},
 * {@code --bootstrap-contacts}) as the way to form or join the cluster instead of {@code --scheduler}.
 * {@link #apply} turns them into HOCON; {@link Management} starts what they ask for.
 */
final class ManagementOptions {
  /** The discovery methods {@code --discovery} takes. */
  static final List<String> METHODS = List.of("config", "kubernetes-api");

  @Option(names = "--management-port", paramLabel = "PORT",
      description = "Serve Pekko Management on this port (pekko.management.http.port): the health checks /alive and "
          + "/ready, and Cluster Bootstrap's contact point. It listens on --bind-address, else --host; 0 for any free "
          + "port (logged). Default: off (or on with tasklane.management.enabled = on from --config).")
  Integer port;

  @Option(names = "--discovery", paramLabel = "METHOD",
      description = "Form or join the cluster by Pekko Cluster Bootstrap instead of --scheduler: 'config' (the nodes "
          + "named in --discovery-hosts) or 'kubernetes-api' (the pods labelled app.kubernetes.io/part-of=CLUSTER_NAME "
          + "in this pod's namespace). Needs --management-port: the contact points are the nodes' management ports.")
  String discovery;

  @Option(names = "--discovery-hosts", paramLabel = "HOST[:PORT],...", split = ",",
      description = "With --discovery config: the contact points, each a host and its management port (default: "
          + "this node's --management-port).")
  List<String> hosts;

  @Option(names = "--bootstrap-contacts", paramLabel = "N",
      description = "Contact points that must answer before a new cluster is formed (required-contact-point-nr; "
          + "default: the number of --discovery-hosts with config, 2 with kubernetes-api).")
  Integer contacts;

  boolean bootstrap() {
    return discovery != null;
  }

  /**
   * Checks the options on their own and against {@code --scheduler} ({@code hasScheduler}); a
   * one-line {@link TasklaneCli.UserError} for each wrong one or wrong combination.
   *
   * @param schedulerJoins the node joins by {@code --scheduler} unless it bootstraps (workers, dashboards)
   */
  void check(boolean hasScheduler, boolean schedulerJoins, String bindHost) {
    if (port != null) {
      Ports.checkPort(port, "--management-port");
      if (!HostAddress.portFree(bindHost, port)) {
        throw new TasklaneCli.UserError("port " + port + " on " + bindHost + " is in use; choose another with --management-port");
      }
    }
    if (discovery == null) {
      if (hosts != null || contacts != null) {
        throw new TasklaneCli.UserError((hosts != null ? "--discovery-hosts" : "--bootstrap-contacts")
            + " needs --discovery config or --discovery kubernetes-api");
      }
      if (schedulerJoins && !hasScheduler) {
        throw new TasklaneCli.UserError("give --scheduler HOST[:PORT], or --discovery config|kubernetes-api "
            + "with --management-port to find the cluster by Cluster Bootstrap");
      }
      return;
    }
    if (hasScheduler) {
      throw new TasklaneCli.UserError("--scheduler and --discovery exclude each other: join the scheduler named, or "
          + "find the cluster by Cluster Bootstrap, not both");
    }
    if (!METHODS.contains(discovery)) {
      throw new TasklaneCli.UserError("--discovery must be one of " + String.join(", ", METHODS) + ", got '" + discovery + "'");
    }
    if (port == null) {
      throw new TasklaneCli.UserError("--discovery needs --management-port: Cluster Bootstrap's contact points are the "
          + "nodes' management ports");
    }
    if (port == 0) {
      throw new TasklaneCli.UserError("--discovery needs a fixed --management-port (not 0): other nodes find this one on it");
    }
    if (discovery.equals("config") && (hosts == null || hosts.isEmpty())) {
      throw new TasklaneCli.UserError("--discovery config needs --discovery-hosts HOST[:PORT],... (the nodes' management ports)");
    }
    if (discovery.equals("kubernetes-api") && hosts != null) {
      throw new TasklaneCli.UserError("--discovery-hosts is for --discovery config; kubernetes-api finds the pods itself");
    }
    if (contacts != null && contacts < 1) {
      throw new TasklaneCli.UserError("--bootstrap-contacts must be at least 1, got " + contacts);
    }
    endpoints(); // host:port syntax
  }

  /** The contact points of {@code --discovery config}: host and management port, in the order given. */
  List<Map<String, Object>> endpoints() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String h : hosts) {
      String[] hp;
      try {
        hp = HostAddress.hostAndPort(h.trim(), port);
      } catch (IllegalArgumentException e) {
        throw new TasklaneCli.UserError("--discovery-hosts: " + e.getMessage());
      }
      out.add(Map.of("host", hp[0], "port", Integer.parseInt(hp[1])));
    }
    return out;
  }

  /**
   * The options as HOCON, onto {@code nc}: the management server on {@code host} (bound to
   * {@code bindAddress} if given), this role's readiness check, and Cluster Bootstrap's discovery,
   * under the cluster's name as its service name.
   */
  void apply(NodeConfig nc, String role, String host, String bindAddress, String clusterName) {
    nc.set("pekko.management.health-checks.readiness-checks.tasklane-" + role, Management.readinessCheck(role));
    nc.set("pekko.management.http.hostname", host);
    if (bindAddress != null && !bindAddress.isEmpty()) {
      nc.set("pekko.management.http.bind-hostname", bindAddress);
    }
    if (port != null) {
      nc.set(Management.ENABLED, true).set("pekko.management.http.port", port);
    }
    if (discovery == null) {
      return;
    }
    String bootstrap = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    nc.set(Management.BOOTSTRAP, true)
        .set(bootstrap + "service-name", clusterName)
        .set(bootstrap + "discovery-method", discovery)
        .set(bootstrap + "required-contact-point-nr", contacts != null ? contacts
            : discovery.equals("config") ? hosts.size() : 2);
    if (discovery.equals("config")) {
      nc.set("pekko.discovery.config.services." + clusterName + ".endpoints", endpoints());
    } else {
      // every Tasklane pod of this cluster is a contact point, found by its label; its management
      // port is the container port named "management" (deploy/kubernetes/)
      // (by its IP, which is also its --host and management hostname: how a node knows itself among them)
      nc.set("pekko.discovery.kubernetes-api.pod-label-selector", "app.kubernetes.io/part-of=%s")
          .set("pekko.discovery.kubernetes-api.use-raw-ip", true)
          .set(bootstrap + "port-name", "management");
    }
  }
}
