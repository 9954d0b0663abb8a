package org.tasklane.dashboard;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code tasklane.dashboard} block of the configuration (see {@code reference.conf}).
 *
 * @param address the interface the HTTP server binds to
 * @param port its port (0: any free port)
 * @param prefix every route lies under it, as given ({@code /}, {@code /a/b}, {@code a/b/})
 * @param heartbeat how often an idle SSE stream gets a comment line
 * @param clientBuffer how many events one browser may fall behind before it is dropped
 * @param askTimeout how long to wait for the scheduler's snapshot and for the dashboard actor
 */
public record DashboardSettings(
    String address, int port, String prefix, Duration heartbeat, int clientBuffer, Duration askTimeout) {

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");

  public DashboardSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("tasklane.dashboard.port must be between 0 and 65535, got " + port);
    }
    if (clientBuffer < 1) {
      throw new IllegalArgumentException("tasklane.dashboard.client-buffer must be at least 1, got " + clientBuffer);
    }
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("tasklane.dashboard.heartbeat must be positive, got " + heartbeat);
    }
    prefixSegments(prefix); // validates
  }

  public static DashboardSettings fromConfig(Config config) {
    Config c = config.getConfig("tasklane.dashboard");
    return new DashboardSettings(c.getString("address"), c.getInt("port"), c.getString("prefix"),
        c.getDuration("heartbeat"), c.getInt("client-buffer"), c.getDuration("ask-timeout"));
  }

  /** The prefix's path segments: {@code "/a/b/"} and {@code "a/b"} are {@code [a, b]}, {@code "/"} is none. */
  public List<String> prefixSegments() {
    return prefixSegments(prefix);
  }

  /** The prefix as a path that starts and ends with {@code /}: {@code /}, {@code /a/b/}. */
  public String prefixPath() {
    return prefixPath(prefix);
  }

  /** {@code "a/b"}, {@code "/a/b/"} -> {@code "/a/b/"}; {@code "/"} -> {@code "/"}; checked as {@link #prefixSegments(String)}. */
  public static String prefixPath(String prefix) {
    List<String> s = prefixSegments(prefix);
    return s.isEmpty() ? "/" : "/" + String.join("/", s) + "/";
  }

  /**
   * Splits and checks a prefix; throws {@link IllegalArgumentException} with a one-line message for
   * anything but letters, digits and {@code . _ ~ -} between slashes, or for {@code .} and {@code ..}.
   */
  public static List<String> prefixSegments(String prefix) {
    List<String> out = new ArrayList<>();
    for (String s : prefix.trim().split("/+")) {
      if (s.isEmpty()) {
        continue;
      }
      if (!SEGMENT.matcher(s).matches() || s.equals(".") || s.equals("..")) {
        throw new IllegalArgumentException("the dashboard prefix must be a path like /tasklane or /a/b "
            + "(letters, digits, '.', '_', '~', '-'), got '" + prefix + "'");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }
}
