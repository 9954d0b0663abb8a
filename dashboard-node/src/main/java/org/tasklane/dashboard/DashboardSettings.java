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
 * @param clientStallTimeout a browser whose connection takes no data for this long, while events
 *     wait for it, is dropped (however few events it is behind)
 * @param socketSendBuffer the kernel's send buffer per browser connection, in bytes (0: the
 *     operating system's default, which Linux grows to 4 MiB: a browser that stops reading would
 *     hold that much before the dashboard notices)
 */
public record DashboardSettings(
    String address, int port, String prefix, Duration heartbeat, int clientBuffer, Duration askTimeout,
    Duration clientStallTimeout, int socketSendBuffer) {

  /** {@code client-stall-timeout} in reference.conf. */
  public static final Duration DEFAULT_CLIENT_STALL_TIMEOUT = Duration.ofSeconds(20);
  /** {@code socket-send-buffer} in reference.conf. */
  public static final int DEFAULT_SOCKET_SEND_BUFFER = 32 * 1024;

  /** The settings with the default stall timeout and socket send buffer. */
  public DashboardSettings(
      String address, int port, String prefix, Duration heartbeat, int clientBuffer, Duration askTimeout) {
    this(address, port, prefix, heartbeat, clientBuffer, askTimeout, DEFAULT_CLIENT_STALL_TIMEOUT,
        DEFAULT_SOCKET_SEND_BUFFER);
  }

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
    if (clientStallTimeout.isNegative() || clientStallTimeout.isZero()) {
      throw new IllegalArgumentException(
          "tasklane.dashboard.client-stall-timeout must be positive, got " + clientStallTimeout);
    }
    if (socketSendBuffer < 0) {
      throw new IllegalArgumentException(
          "tasklane.dashboard.socket-send-buffer must be 0 (the OS default) or more, got " + socketSendBuffer);
    }
    prefixSegments(prefix); // validates
  }

  public static DashboardSettings fromConfig(Config config) {
    Config c = config.getConfig("tasklane.dashboard");
    return new DashboardSettings(c.getString("address"), c.getInt("port"), c.getString("prefix"),
        c.getDuration("heartbeat"), c.getInt("client-buffer"), c.getDuration("ask-timeout"),
        c.getDuration("client-stall-timeout"), (int) Math.min(Integer.MAX_VALUE, c.getBytes("socket-send-buffer")));
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
