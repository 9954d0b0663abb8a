package org.tasklane.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A release archive, {@code tasklane-VERSION.tar.gz}, that unpacks to one folder of the same name
 * ({@code tasklane-VERSION/bin/tasklane}, {@code lib/}, {@code conf/}).
 */
record ReleaseArchive(Path file, String folder, String sha256) {
  private static final String SUFFIX = ".tar.gz";

  static ReleaseArchive of(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(SUFFIX) || name.length() == SUFFIX.length()) {
      throw new TasklaneCli.UserError("--archive must be a tasklane-VERSION.tar.gz (as 'mvn package' builds it), got " + file);
    }
    if (!Files.isRegularFile(file)) {
      throw new TasklaneCli.UserError("no archive at " + file);
    }
    return new ReleaseArchive(file.toAbsolutePath(), name.substring(0, name.length() - SUFFIX.length()), sha256(file));
  }

  /**
   * The archive this unpacked folder came from, if it lies beside it ({@code DIR/tasklane-V/} and
   * {@code DIR/tasklane-V.tar.gz}); null from a source checkout or without the file.
   */
  static ReleaseArchive besideUnpacked(Path home) {
    if (home == null || Files.exists(home.resolve("pom.xml")) || !Files.isDirectory(home.resolve("lib"))
        || home.getFileName() == null) {
      return null;
    }
    Path file = home.resolveSibling(home.getFileName() + SUFFIX);
    return Files.isRegularFile(file) ? of(file) : null;
  }

  long size() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new TasklaneCli.UserError("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new TasklaneCli.UserError("cannot read the archive " + file + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }
}
