package org.tasklane.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Certificates for the launcher's unit tests, made once per test JVM by {@code tasklane certs}
 * itself (keytool takes a few seconds a host), each set in a folder of its own.
 */
final class TestCerts {
  private TestCerts() {}

  private static final Map<String, Path> MADE = new HashMap<>();
  private static Path root;

  /**
   * A fresh folder for a test's TLS files (private keys among them), under one folder that is
   * deleted when the test JVM ends.
   */
  static synchronized Path tempDir(String prefix) throws java.io.IOException {
    if (root == null) {
      root = Files.createTempDirectory("tasklane-tls-tests-");
      Path r = root;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(r), "delete-test-certs"));
    }
    return Files.createTempDirectory(root, prefix);
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (java.io.IOException e) {
      // left in the temporary directory
    }
  }

  /** A certs folder named {@code name} for {@code hosts} (comma-separated), made on first use. */
  static synchronized Path get(String name, String hosts) throws Exception {
    Path dir = MADE.get(name);
    if (dir == null) {
      dir = tempDir("certs-" + name + "-");
      Cli run = run("certs", dir.toString(), "--hosts", hosts);
      if (run.exit() != 0) {
        throw new AssertionError("tasklane certs failed: " + run.err());
      }
      MADE.put(name, dir);
    }
    return dir;
  }

  /** What a {@code tasklane} command run in this JVM returned and wrote. */
  record Cli(int exit, String out, String err) {}

  /** Runs a {@code tasklane} command line in this JVM, capturing its output. */
  static synchronized Cli run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = TasklaneCli.run(args);
      return new Cli(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
