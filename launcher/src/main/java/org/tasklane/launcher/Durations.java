package org.tasklane.launcher;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/** Parses durations the way the configuration does: {@code 500ms}, {@code 30s}, {@code 2m}. */
final class Durations {
  private Durations() {}

  static Duration parse(String text, String option) {
    try {
      Duration d = ConfigFactory.parseString("d = \"" + text.replace("\"", "") + "\"").getDuration("d");
      if (d.isNegative()) {
        throw new TasklaneCli.UserError(option + " must not be negative, got " + text);
      }
      return d;
    } catch (ConfigException e) {
      throw new TasklaneCli.UserError(option + " must be a duration like 500ms, 30s or 2m, got '" + text + "'");
    }
  }
}
