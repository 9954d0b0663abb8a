package org.tasklane.launcher;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;

/** The address other hosts reach this one on, and small socket checks for clear errors. */
final class HostAddress {
  private HostAddress() {}

  /** The first IPv4 address of an interface that is up and not loopback, else 127.0.0.1. */
  static String detect() {
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isUp() || ni.isLoopback() || ni.isVirtual()) {
          continue;
        }
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            return a.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // fall through to loopback
    }
    return "127.0.0.1";
  }

  /** True if nothing listens on this TCP port of this address yet. */
  static boolean portFree(String bindHost, int port) {
    if (port == 0) {
      return true;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(bindHost, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Null if a TCP connection to host:port succeeds within the timeout, else why not. */
  static String tryConnect(String host, int port, int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), timeoutMillis);
      return null;
    } catch (IOException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }

  /** Splits {@code HOST[:PORT]}. */
  static String[] hostAndPort(String s, int defaultPort) {
    int colon = s.lastIndexOf(':');
    if (colon > 0 && s.indexOf(':') == colon) {
      String port = s.substring(colon + 1);
      try {
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
          throw new NumberFormatException();
        }
        return new String[] {s.substring(0, colon), port};
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port '" + port + "' in '" + s + "': expected HOST[:PORT] with PORT 1-65535");
      }
    }
    return new String[] {s, String.valueOf(defaultPort)};
  }
}
