package org.tasklane.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** Users' jars made in the test: Java sources compiled with the JDK's compiler into a temporary folder, then zipped. */
final class CodeJars {
  private CodeJars() {}

  /** The jar of these classes (binary name to source). */
  static byte[] compile(Map<String, String> sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no Java compiler in this JVM: the system tests need a JDK");
    }
    Path out;
    try {
      out = Files.createTempDirectory("tasklane-system-classes-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      List<JavaFileObject> units = new ArrayList<>();
      sources.forEach((name, text) -> units.add(new SimpleJavaFileObject(
          URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return text;
        }
      }));
      StringWriter errors = new StringWriter();
      if (!javac.getTask(errors, null, null, List.of("-d", out.toString(), "--release", "17"), null, units).call()) {
        throw new IllegalStateException("the test's sources do not compile:\n" + errors);
      }
      ByteArrayOutputStream jar = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(jar); Stream<Path> files = Files.walk(out)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          ZipEntry e = new ZipEntry(out.relativize(f).toString().replace('\\', '/'));
          e.setTime(0);
          zip.putNextEntry(e);
          zip.write(Files.readAllBytes(f));
          zip.closeEntry();
        }
      }
      return jar.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try (Stream<Path> all = Files.walk(out)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException ignored) {
        // a temporary folder
      }
    }
  }

  /** {@code demo.Greeter} whose static {@code hello(String)} answers {@code "hello NAME from VERSION"}. */
  static byte[] greeter(String version) {
    return compile(Map.of("demo.Greeter", "package demo;\npublic class Greeter {\n"
        + "  public static String hello(String name) { return \"hello \" + name + \" from " + version + "\"; }\n}\n"));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
