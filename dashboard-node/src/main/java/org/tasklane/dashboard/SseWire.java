package org.tasklane.dashboard;

import org.apache.pekko.util.ByteString;

/**
 * How one server-sent event looks on the wire. Its own class so that the update hub (which encodes
 * each update once for every browser) and the routes that serve it need not import each other.
 */
public final class SseWire {
  private SseWire() {}

  /** One event as the wire carries it: {@code event:}, {@code id:}, {@code data:} lines and a blank line. */
  public static ByteString encode(String event, long id, String data) {
    StringBuilder sb = new StringBuilder(data.length() + 40);
    sb.append("event: ").append(event).append("\nid: ").append(id).append('\n');
    if (data.indexOf('\n') < 0 && data.indexOf('\r') < 0) {
      sb.append("data: ").append(data).append('\n');
    } else {
      for (String line : data.split("\r\n|\r|\n", -1)) {
        sb.append("data: ").append(line).append('\n');
      }
    }
    return ByteString.fromString(sb.append('\n').toString());
  }
}
