package org.tasklane.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The jars that hold a graph's classes: for each class (a function's, a receiver's, an argument's),
 * the jar or classes folder it was loaded from, unless the workers have it already (the JDK, this
 * client, Jackson). A folder ({@code target/classes} while developing) is packed into a jar with
 * sorted entries and fixed times, so the same classes always give the same SHA-256 and are
 * uploaded once.
 */
final class CodeBundle {
  /** A jar to ship: its content and SHA-256 (64 lower-case hex digits). */
  record Jar(String sha256, byte[] bytes, String source) {}

  /** The most packed folders and read jars kept (least recently used dropped first). */
  private static final int MAX_CACHED = 32;
  /** Packed folders and read jars, by path and last change: a long-lived client packs each once. */
  private final Map<String, Jar> cache = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Jar> eldest) {
          return size() > MAX_CACHED;
        }
      });
  private final Set<Path> provided;

  /** {@code provided}: classpath entries the workers have already (never shipped). */
  CodeBundle(Set<Path> provided) {
    this.provided = provided;
  }

  /** The code sources the workers always have: the JDK, this client and its dependencies. */
  static Set<Path> workerClasspath() {
    Set<Path> paths = new java.util.HashSet<>();
    for (Class<?> c : List.of(CodeBundle.class, org.tasklane.protocol.GraphSpec.class,
        com.fasterxml.jackson.databind.ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
        com.fasterxml.jackson.annotation.JsonProperty.class,
        com.fasterxml.jackson.datatype.jdk8.Jdk8Module.class, com.fasterxml.jackson.datatype.jsr310.JavaTimeModule.class)) {
      Path p = location(c);
      if (p != null) {
        paths.add(p);
      }
    }
    return paths;
  }

  /** The jars holding these classes and the given extra jars, each once, in a stable order. */
  List<Jar> jarsFor(Set<Class<?>> classes, List<Path> extraJars) {
    Map<Path, Boolean> sources = new LinkedHashMap<>();
    for (Class<?> c : classes) {
      Path p = location(c);
      if (p != null && !provided.contains(p)) {
        sources.put(p, true);
      }
    }
    extraJars.forEach(p -> sources.put(p.toAbsolutePath().normalize(), true));
    List<Jar> jars = new ArrayList<>();
    for (Path p : sources.keySet()) {
      jars.add(jar(p));
    }
    jars.sort(java.util.Comparator.comparing(Jar::sha256));
    return jars;
  }

  /** Where a class was loaded from (a jar or a folder), or null for the JDK's own classes. */
  static Path location(Class<?> c) {
    while (c.isArray()) {
      c = c.getComponentType();
    }
    if (c.isPrimitive() || c.getClassLoader() == null || c.getClassLoader() == ClassLoader.getPlatformClassLoader()) {
      return null;
    }
    CodeSource source = c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
    URL url = source == null ? null : source.getLocation();
    if (url == null || !"file".equals(url.getProtocol())) {
      return null;
    }
    try {
      return Path.of(url.toURI()).toAbsolutePath().normalize();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private Jar jar(Path p) {
    try {
      String stamp = p + "@" + Files.getLastModifiedTime(p).toMillis() + "/" + (Files.isDirectory(p) ? newest(p) : Files.size(p));
      return cache.computeIfAbsent(stamp, s -> {
        byte[] bytes = Files.isDirectory(p) ? pack(p) : read(p);
        return new Jar(sha256(bytes), bytes, p.toString());
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the code at " + p + ": " + e.getMessage(), e);
    }
  }

  private static long newest(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.mapToLong(f -> f.toFile().lastModified()).max().orElse(0);
    }
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the jar " + p + ": " + e.getMessage(), e);
    }
  }

  /** A folder of classes as a jar: entries sorted, times fixed, so equal folders give equal bytes. */
  static byte[] pack(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(out)) {
        for (Path f : files) {
          ZipEntry e = new ZipEntry(dir.relativize(f).toString().replace('\\', '/'));
          e.setTime(315532800000L); // 1980-01-01, the earliest a zip can say
          zip.putNextEntry(e);
          zip.write(Files.readAllBytes(f));
          zip.closeEntry();
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pack the classes in " + dir + " into a jar: " + e.getMessage(), e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
