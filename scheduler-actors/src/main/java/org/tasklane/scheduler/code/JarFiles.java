package org.tasklane.scheduler.code;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** The file work of the {@link CodeStore}: digests, the zip check, moves and cleaning. All of it blocks. */
public final class JarFiles {
  private JarFiles() {}

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The SHA-256 of a file, as 64 lower-case hex digits (blocks: reads it). */
  public static String sha256Of(Path file) throws IOException {
    MessageDigest digest = newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The SHA-256 of these bytes, as 64 lower-case hex digits. */
  public static String sha256Of(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** Null if the file is a zip (a jar is one), else one line saying it is not. */
  static String checkZip(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return null;
    } catch (ZipException e) {
      return "the body is not a jar (a zip file): " + oneLine(e.getMessage());
    } catch (IOException e) {
      return "the body could not be read as a jar (a zip file): " + oneLine(e.getMessage());
    }
  }

  static String oneLine(String s) {
    return s == null ? "unreadable" : s.replaceAll("\\s+", " ").strip();
  }

  /** Deletes everything in a folder, recursively, but not the folder. */
  static void clean(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(folder)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
