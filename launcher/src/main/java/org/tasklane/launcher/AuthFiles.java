package org.tasklane.launcher;

import com.typesafe.config.Config;
import java.io.File;
import java.util.Optional;
import org.tasklane.protocol.api.AccessToken;

/**
 * {@code --auth-file}: reads the token before anything starts, so that a missing, unreadable or
 * empty file is one line and exit 1, and warns (one line) if others can read it. Never prints the
 * token.
 */
final class AuthFiles {
  private AuthFiles() {}

  /** The environment variable {@code submit} falls back to when it has no {@code --auth-file}. */
  static final String ENV = "TASKLANE_AUTH_FILE";

  /** The token of {@code file} (from {@code --auth-file}); a one-line error naming the file if it cannot be had. */
  static AccessToken read(File file, String what) {
    return read(file, what, "--auth-file");
  }

  /** As {@link #read(File, String)}, the file named by {@code source} (an option or {@link #ENV}). */
  static AccessToken read(File file, String what, String source) {
    AccessToken token;
    try {
      token = AccessToken.fromFile(file.toPath());
    } catch (IllegalArgumentException e) {
      throw new TasklaneCli.UserError(source + ": " + e.getMessage());
    }
    token.permissionWarning().ifPresent(w -> System.err.println(what + ": " + w));
    return token;
  }

  /** Reads the auth file a node's configuration names at {@code key}, if any, as {@link #read}. */
  static Optional<AccessToken> check(Config config, String key, String what) {
    String name = config.hasPath(key) ? config.getString(key).strip() : "";
    return name.isEmpty() ? Optional.empty() : Optional.of(read(new File(name), what));
  }

  /** The absolute path of {@code file}, for a configuration or a child process. */
  static String path(File file) {
    return file.getAbsoluteFile().toPath().normalize().toString();
  }
}
