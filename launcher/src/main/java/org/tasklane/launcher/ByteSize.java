package org.tasklane.launcher;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import picocli.CommandLine;

/**
 * A size the way the configuration writes one ({@code 1024}, {@code 512KiB}, {@code 64MiB}), at
 * least 1 byte; a bad one is a usage error (one line, exit code 2) like any bad option value.
 */
final class ByteSize implements CommandLine.ITypeConverter<Long> {
  @Override
  public Long convert(String text) {
    long bytes;
    try {
      bytes = ConfigFactory.parseString("b = \"" + text.replace("\"", "").replace("\\", "") + "\"").getBytes("b");
    } catch (ConfigException e) {
      throw new CommandLine.TypeConversionException("expected a size like 1024, 512KiB or 64MiB, got '" + text + "'");
    }
    if (bytes < 1) {
      throw new CommandLine.TypeConversionException("expected a size of at least 1 byte, got '" + text + "'");
    }
    return bytes;
  }
}
