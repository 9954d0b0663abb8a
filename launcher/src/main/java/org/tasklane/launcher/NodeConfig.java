package org.tasklane.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a node's configuration the Pekko way: the command line's settings over a {@code --config}
 * file, over the role's {@code tasklane-ROLE.conf} (if there is one: the scheduler's), over
 * {@code tasklane-node.conf}, over every module's {@code reference.conf}.
 */
final class NodeConfig {
  /** The default cluster name (every node's actor system name); {@code --cluster-name} changes it. */
  static final String SYSTEM_NAME = "tasklane";
  /** What Pekko accepts as an actor system name. */
  private static final java.util.regex.Pattern CLUSTER_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  private final Map<String, Object> overrides = new HashMap<>();
  private final String role;
  private File file;
  private String clusterName = SYSTEM_NAME;
  private String seedHost;
  private int seedPort;

  NodeConfig(String role, String host, int port, String bindAddress) {
    this.role = role;
    overrides.put("pekko.remote.artery.canonical.hostname", host);
    overrides.put("pekko.remote.artery.canonical.port", port);
    if (bindAddress != null && !bindAddress.isEmpty()) {
      overrides.put("pekko.remote.artery.bind.hostname", bindAddress);
    }
    overrides.put("pekko.cluster.roles", List.of(role));
  }

  NodeConfig seed(String host, int port) {
    this.seedHost = host;
    this.seedPort = port;
    return this;
  }

  /** The cluster's name ({@code --cluster-name}): this node's actor system name, and its seed's. */
  NodeConfig clusterName(String name) {
    this.clusterName = checkClusterName(name);
    return this;
  }

  /** A one-line usage error for a name Pekko would not take as an actor system name. */
  static String checkClusterName(String name) {
    if (name == null || !CLUSTER_NAME.matcher(name).matches()) {
      throw new TasklaneCli.UserError("--cluster-name must be letters, digits, '-' and '_' (starting with a letter "
          + "or digit), got '" + name + "'");
    }
    return name;
  }

  NodeConfig set(String path, Object value) {
    overrides.put(path, value);
    return this;
  }

  /** {@code --tls-dir}: the node's TLS folder (null: TLS only if {@code --config} names a folder). */
  NodeConfig tlsDir(File dir) {
    if (dir != null) {
      overrides.put(org.tasklane.protocol.api.TlsSetting.DIR, dir.getAbsolutePath());
    }
    return this;
  }

  NodeConfig file(File f) {
    this.file = f;
    return this;
  }

  static String seedAddress(String host, int port) {
    return seedAddress(SYSTEM_NAME, host, port);
  }

  static String seedAddress(String clusterName, String host, int port) {
    return "pekko://" + clusterName + "@" + host + ":" + port;
  }

  Config build() {
    Config base = ConfigFactory.parseResources("tasklane-" + role + ".conf")
        .withFallback(ConfigFactory.parseResources("tasklane-node.conf"))
        .withFallback(ConfigFactory.load());
    if (file != null) {
      if (!file.canRead()) {
        throw new IllegalArgumentException("cannot read the configuration file " + file);
      }
      base = ConfigFactory.parseFile(file).withFallback(base);
    }
    Map<String, Object> all = new HashMap<>(overrides);
    all.put("tasklane.cluster-name", clusterName);
    if (seedHost != null) {
      all.put("pekko.cluster.seed-nodes", List.of(seedAddress(clusterName, seedHost, seedPort)));
    }
    return TlsNodeConfig.apply(ConfigFactory.parseMap(all).withFallback(base).resolve());
  }
}
