package org.tasklane.scheduler.code;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The settings of code shipping on the scheduler, from {@code tasklane.scheduler.code}.
 *
 * @param allowUpload take jars (and graphs that name them) without an auth file: for a trusted
 *     network only ({@code --allow-code-upload})
 * @param dir where the jars are kept; empty for a fresh folder under {@code java.io.tmpdir}, deleted
 *     when the node stops ({@code --code-dir})
 * @param maxJarBytes the largest jar one upload may bring
 * @param maxBytes the most bytes of jars the store holds
 * @param unusedRetention how long a jar no graph holds is kept (an upload followed by a submit needs it)
 */
public record CodeSettings(boolean allowUpload, String dir, long maxJarBytes, long maxBytes, Duration unusedRetention) {

  /** Where the settings live in the configuration. */
  public static final String CONFIG_PATH = "tasklane.scheduler.code";

  /** The one line an upload (or a graph with code) gets when code upload is off. */
  public static final String UPLOAD_OFF = "code upload is off on this scheduler: start it with --auth-file FILE "
      + "(only holders of the token may upload) or, on a trusted network, with --allow-code-upload";

  public CodeSettings {
    dir = dir == null ? "" : dir;
    if (maxJarBytes < 1 || maxBytes < 1) {
      throw new IllegalArgumentException(CONFIG_PATH + ".max-jar-bytes and max-bytes must be positive");
    }
    if (unusedRetention == null || unusedRetention.isNegative()) {
      throw new IllegalArgumentException(CONFIG_PATH + ".unused-retention must not be negative");
    }
  }

  /** Read the {@code tasklane.scheduler.code} block of this (root) configuration. */
  public static CodeSettings fromConfig(Config root) {
    Config c = root.getConfig(CONFIG_PATH);
    return new CodeSettings(
        c.getBoolean("allow-upload"),
        c.getString("dir"),
        c.getBytes("max-jar-bytes"),
        c.getBytes("max-bytes"),
        c.getDuration("unused-retention"));
  }
}
