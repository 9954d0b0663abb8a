package org.tasklane.protocol.api;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;

/** The auth file a node's configuration names, read into its {@link AccessToken} (nodes only: clients have no config). */
public final class AuthFileSetting {
  private AuthFileSetting() {}

  /**
   * The token of the auth file a configuration names at {@code path}; empty if the key is missing or
   * {@code ""} (authentication off).
   *
   * @throws IllegalArgumentException as {@link AccessToken#fromFile}
   */
  public static Optional<AccessToken> fromConfig(Config config, String path) {
    if (!config.hasPath(path)) {
      return Optional.empty();
    }
    String name = config.getString(path).strip();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(AccessToken.fromFile(Path.of(name)));
  }
}
