package org.tasklane.scheduler.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small jars (zip files) for the store's and the routes' tests. */
public final class TestZips {
  private TestZips() {}

  /** A zip with one stored entry of {@code size} random bytes (seeded, so the same seed gives the same jar). */
  public static byte[] jar(long seed, int size) {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      ZipEntry e = new ZipEntry("data-" + seed + ".bin");
      e.setTime(0);
      zip.putNextEntry(e);
      zip.write(content);
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static String sha(byte[] bytes) {
    return JarFiles.sha256Of(bytes);
  }
}
