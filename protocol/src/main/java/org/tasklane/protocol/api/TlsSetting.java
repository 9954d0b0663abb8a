package org.tasklane.protocol.api;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The TLS folder a node's configuration names at {@value #DIR} ({@code --tls-dir}); empty if TLS is
 * off. With it, the cluster port speaks TLS (the launcher sets Pekko Artery's {@code tls-tcp}) and
 * the HTTP ports speak HTTPS only.
 */
public final class TlsSetting {
  private TlsSetting() {}

  /** The configuration key: the folder's path, or {@code ""} for no TLS. */
  public static final String DIR = "tasklane.tls.dir";

  /**
   * The folder named at {@value #DIR}, checked ({@link TlsFolder#forNode}); empty if the key is
   * missing or blank.
   *
   * @throws IllegalArgumentException with a one-line message if a file is missing or unreadable
   */
  public static Optional<TlsFolder> fromConfig(Config config) {
    if (!config.hasPath(DIR)) {
      return Optional.empty();
    }
    String name = config.getString(DIR).strip();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    String host = config.hasPath("pekko.remote.artery.canonical.hostname")
        ? config.getString("pekko.remote.artery.canonical.hostname") : null;
    return Optional.of(TlsFolder.forNode(Path.of(name), host));
  }
}
