package org.tasklane.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The management and Cluster Bootstrap options: what they become in HOCON, and their one-line errors. */
class ManagementOptionsTest {

  /** A command holding only the options, parsed as the real commands parse them. */
  @CommandLine.Command(name = "t")
  static final class Holder {
    @CommandLine.Mixin ManagementOptions options;
  }

  static ManagementOptions parse(String... args) {
    Holder h = new Holder();
    new CommandLine(h).parseArgs(args);
    return h.options;
  }

  static String error(ManagementOptions o, boolean hasScheduler) {
    return assertThrows(TasklaneCli.UserError.class, () -> o.check(hasScheduler, true, "127.0.0.1")).getMessage();
  }

  @Test
  void badCombinationsAreOneLineErrors() {
    assertEquals("--scheduler and --discovery exclude each other: join the scheduler named, or find the cluster by "
        + "Cluster Bootstrap, not both",
        error(parse("--discovery", "config", "--discovery-hosts", "a", "--management-port", "8558"), true));
    assertEquals("--discovery needs --management-port: Cluster Bootstrap's contact points are the nodes' management ports",
        error(parse("--discovery", "config", "--discovery-hosts", "a"), false));
    assertEquals("--discovery must be one of config, kubernetes-api, got 'dns'",
        error(parse("--discovery", "dns", "--management-port", "8558"), false));
    assertEquals("--discovery config needs --discovery-hosts HOST[:PORT],... (the nodes' management ports)",
        error(parse("--discovery", "config", "--management-port", "8558"), false));
    assertEquals("--discovery-hosts is for --discovery config; kubernetes-api finds the pods itself",
        error(parse("--discovery", "kubernetes-api", "--discovery-hosts", "a", "--management-port", "8558"), false));
    assertEquals("--discovery-hosts needs --discovery config or --discovery kubernetes-api",
        error(parse("--discovery-hosts", "a"), true));
    assertEquals("--bootstrap-contacts must be at least 1, got 0",
        error(parse("--discovery", "kubernetes-api", "--management-port", "8558", "--bootstrap-contacts", "0"), false));
    assertEquals("--discovery needs a fixed --management-port (not 0): other nodes find this one on it",
        error(parse("--discovery", "kubernetes-api", "--management-port", "0"), false));
    assertEquals("--management-port must be between 0 and 65535, got 70000", error(parse("--management-port", "70000"), true));
    assertEquals("--discovery-hosts: bad port 'x' in 'a:x': expected HOST[:PORT] with PORT 1-65535",
        error(parse("--discovery", "config", "--discovery-hosts", "a:x", "--management-port", "8558"), false));
    assertEquals("give --scheduler HOST[:PORT], or --discovery config|kubernetes-api with --management-port to find "
        + "the cluster by Cluster Bootstrap", error(parse(), false));
  }

  @Test
  void managementIsOffUnlessAskedFor() {
    ManagementOptions none = parse();
    none.check(true, true, "127.0.0.1");
    Config c = build(none, "worker");
    assertFalse(c.getBoolean(Management.ENABLED));
    assertFalse(c.getBoolean(Management.BOOTSTRAP));
    assertEquals("org.tasklane.worker.health.WorkerReadyCheck",
        c.getString("pekko.management.health-checks.readiness-checks.tasklane-worker"));
  }

  @Test
  void configDiscoveryListsTheHostsAsContactPointsUnderTheClusterName() {
    ManagementOptions o = parse("--management-port", "8558", "--discovery", "config",
        "--discovery-hosts", "10.0.0.1,10.0.0.2:9558,10.0.0.3");
    o.check(false, true, "127.0.0.1");
    Config c = build(o, "scheduler");
    assertEquals(8558, c.getInt("pekko.management.http.port"));
    assertEquals("10.0.0.9", c.getString("pekko.management.http.hostname"));
    assertEquals(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"),
        c.getConfigList("pekko.discovery.config.services.blue.endpoints").stream().map(e -> e.getString("host")).toList());
    assertEquals(List.of(8558, 9558, 8558),
        c.getConfigList("pekko.discovery.config.services.blue.endpoints").stream().map(e -> e.getInt("port")).toList());
    String d = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    assertEquals("blue", c.getString(d + "service-name"));
    assertEquals("config", c.getString(d + "discovery-method"));
    assertEquals(3, c.getInt(d + "required-contact-point-nr"), "all listed hosts, by default");
    assertEquals(List.of(), c.getStringList("pekko.cluster.seed-nodes"), "no seed: bootstrap forms the cluster");
  }

  @Test
  void kubernetesDiscoveryFindsPodsByLabelAndTheirManagementPortByName() {
    ManagementOptions o = parse("--management-port", "8558", "--discovery", "kubernetes-api", "--bootstrap-contacts", "3");
    o.check(false, true, "127.0.0.1");
    Config c = build(o, "worker");
    assertEquals("app.kubernetes.io/part-of=%s", c.getString("pekko.discovery.kubernetes-api.pod-label-selector"));
    String d = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    assertEquals("management", c.getString(d + "port-name"));
    assertEquals(3, c.getInt(d + "required-contact-point-nr"));
    assertEquals("kubernetes-api", c.getString(d + "discovery-method"));
  }

  private static Config build(ManagementOptions o, String role) {
    NodeConfig nc = new NodeConfig(role, "10.0.0.9", 0, null).clusterName("blue");
    o.apply(nc, role, "10.0.0.9", null, "blue");
    return nc.build();
  }
}
