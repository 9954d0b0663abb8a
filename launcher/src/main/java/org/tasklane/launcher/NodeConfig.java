package org.tasklane.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a node's configuration the Pekko way: the command line's settings over a {@code --config}
 * file, over {@code tasklane-node.conf}, over every module's {@code reference.conf}.
 */
final class NodeConfig {
  static final String SYSTEM_NAME = "tasklane";

  private final Map<String, Object> overrides = new HashMap<>();
  private File file;

  NodeConfig(String role, String host, int port, String bindAddress) {
    overrides.put("pekko.remote.artery.canonical.hostname", host);
    overrides.put("pekko.remote.artery.canonical.port", port);
    if (bindAddress != null && !bindAddress.isEmpty()) {
      overrides.put("pekko.remote.artery.bind.hostname", bindAddress);
    }
    overrides.put("pekko.cluster.roles", List.of(role));
  }

  NodeConfig seed(String host, int port) {
    overrides.put("pekko.cluster.seed-nodes", List.of(seedAddress(host, port)));
    return this;
  }

  NodeConfig set(String path, Object value) {
    overrides.put(path, value);
    return this;
  }

  NodeConfig file(File f) {
    this.file = f;
    return this;
  }

  static String seedAddress(String host, int port) {
    return "pekko://" + SYSTEM_NAME + "@" + host + ":" + port;
  }

  Config build() {
    Config base = ConfigFactory.parseResources("tasklane-node.conf").withFallback(ConfigFactory.load());
    if (file != null) {
      if (!file.canRead()) {
        throw new IllegalArgumentException("cannot read the configuration file " + file);
      }
      base = ConfigFactory.parseFile(file).withFallback(base);
    }
    return ConfigFactory.parseMap(overrides).withFallback(base).resolve();
  }
}
