package org.tasklane.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tasklane.protocol.api.TlsFolder;
import org.tasklane.protocol.api.TlsSetting;

/**
 * Turns a node's TLS folder ({@code tasklane.tls.dir}, {@code --tls-dir}) into Pekko's settings:
 * Artery's {@code tls-tcp} transport with {@code ConfigSSLEngineProvider}, reading the folder's key
 * store and trust store. Mutual authentication, hostname verification and the protocol come from
 * {@code tasklane-node.conf} (a {@code --config} file may change them); the transport, the stores
 * and their password come from the folder only. The password goes into the in-memory configuration,
 * never onto a command line or into a log.
 */
final class TlsNodeConfig {
  private TlsNodeConfig() {}

  static final String ENGINE = "pekko.remote.artery.ssl.config-ssl-engine";

  /**
   * {@code config} with TLS on if it names a TLS folder, else {@code config} itself.
   *
   * @throws TasklaneCli.UserError in one line if a file of the folder is missing or unreadable, its
   *     password does not open the stores, or this node's certificate does not name its address
   */
  static Config apply(Config config) {
    Optional<TlsFolder> folder;
    try {
      folder = TlsSetting.fromConfig(config);
    } catch (IllegalArgumentException e) {
      throw new TasklaneCli.UserError("--tls-dir: " + e.getMessage());
    }
    if (folder.isEmpty()) {
      return config;
    }
    TlsFolder tls = folder.get();
    if (config.getBoolean(ENGINE + ".hostname-verification")) {
      checkNamesHost(tls, config.getString("pekko.remote.artery.canonical.hostname"));
    }
    String password = tls.password();
    Map<String, Object> m = new HashMap<>();
    m.put(TlsSetting.DIR, tls.dir().toString());
    m.put("pekko.remote.artery.transport", "tls-tcp");
    m.put("pekko.remote.artery.ssl.ssl-engine-provider", "org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider");
    m.put(ENGINE + ".key-store", tls.keyStorePath().toString());
    m.put(ENGINE + ".trust-store", tls.trustStorePath().toString());
    m.put(ENGINE + ".key-store-password", password);
    m.put(ENGINE + ".key-password", password);
    m.put(ENGINE + ".trust-store-password", password);
    return ConfigFactory.parseMap(m).withFallback(config);
  }

  /**
   * Other nodes check that this node's certificate names the address it announces (hostname
   * verification); say so at start rather than have every connection to it refused.
   */
  static void checkNamesHost(TlsFolder tls, String host) {
    X509Certificate cert;
    try {
      cert = tls.nodeCertificate();
    } catch (IllegalArgumentException e) {
      throw new TasklaneCli.UserError("--tls-dir: " + e.getMessage());
    }
    List<String> names = TlsFolder.subjectAltNames(cert);
    if (!names.contains(host)) {
      throw new TasklaneCli.UserError("--tls-dir: the certificate in " + tls.keyStorePath() + " is for " + names
          + ", not for this node's address " + host + " (--host), so other nodes would refuse it; make one with "
          + "'tasklane certs DIR --reuse-ca --hosts " + host + "'");
    }
  }
}
