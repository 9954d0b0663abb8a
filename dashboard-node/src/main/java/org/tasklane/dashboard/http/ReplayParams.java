package org.tasklane.dashboard.http;

import java.util.Optional;
import java.util.Set;
import org.tasklane.dashboard.history.TaskDetail;

/** The query parameters of the replay routes, checked: each bad one is an {@link IllegalArgumentException} of one line. */
final class ReplayParams {
  /** The speeds a replay plays at. */
  static final Set<Integer> SPEEDS = Set.of(1, 10, 100);
  /** The width of a tasks window when none is asked for (pixels). */
  static final int DEFAULT_WIDTH = 1000;

  private ReplayParams() {}

  /** A time: a whole number, not negative ({@code t}: epoch milliseconds; {@code from}, {@code to}: epoch microseconds). */
  static Optional<Long> time(String name, Optional<String> raw) {
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    String unit = name.equals("t") ? "milliseconds" : "microseconds";
    try {
      long v = Long.parseLong(raw.get().trim());
      if (v >= 0) {
        return Optional.of(v);
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(name + " must be a time in epoch " + unit + " (a whole number), got '"
        + shown(raw.get()) + "'");
  }

  static int width(Optional<String> raw) {
    if (raw.isEmpty()) {
      return DEFAULT_WIDTH;
    }
    try {
      int w = Integer.parseInt(raw.get().trim());
      if (w >= 1 && w <= TaskDetail.MAX_WIDTH) {
        return w;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("width must be a whole number of pixels from 1 to " + TaskDetail.MAX_WIDTH
        + ", got '" + shown(raw.get()) + "'");
  }

  static int speed(Optional<String> raw) {
    if (raw.isEmpty()) {
      return 1;
    }
    try {
      int s = Integer.parseInt(raw.get().trim());
      if (SPEEDS.contains(s)) {
        return s;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("speed must be 1, 10 or 100, got '" + shown(raw.get()) + "'");
  }

  /** What the user sent, cut short: an error line stays one short line. */
  private static String shown(String raw) {
    String s = raw.replaceAll("[\\r\\n]", " ");
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
