package org.tasklane.system.archive;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tasklane.system.LocalCluster;

/**
 * The release archive that this module's {@code package} built ({@code tasklane.archive}), unpacked
 * with {@code tar} into a fresh temporary folder, and a PATH without Maven to run it with.
 */
final class UnpackedArchive {
  final Path archive;
  /** The folder the archive was unpacked into; the archive's own folder is {@link #home}. */
  final Path parent;
  final Path home;
  private Map<String, String> env;

  private UnpackedArchive(Path archive, Path parent, Path home) {
    this.archive = archive;
    this.parent = parent;
    this.home = home;
  }

  static UnpackedArchive unpack(String name) throws Exception {
    String file = System.getProperty("tasklane.archive");
    assertNotNull(file, "the build sets tasklane.archive (run these tests with 'mvn verify' or 'install')");
    Path archive = Path.of(file);
    assertTrue(Files.isRegularFile(archive), "the archive is built by 'package' before these tests: " + archive);
    Path parent = Files.createTempDirectory("tasklane-unpacked-" + name);
    run(parent, List.of("tar", "-xzf", archive.toString(), "-C", parent.toString()), Map.of());
    String folder = archive.getFileName().toString().replace(".tar.gz", "");
    return new UnpackedArchive(archive, parent, parent.resolve(folder));
  }

  /** Deletes a folder this test made (an unpacked archive is ~50 MB), whatever is in it. */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  Path launcher() {
    return home.resolve("bin").resolve("tasklane");
  }

  /** The environment to run the archive in: PATH with Maven taken out, the tests' small heaps. */
  synchronized Map<String, String> env() throws IOException {
    if (env == null) {
      env = Map.of("PATH", pathWithoutMaven(parent.resolve("path")), "TASKLANE_JAVA_OPTS", LocalCluster.JAVA_OPTS);
    }
    return env;
  }

  /**
   * This PATH, each folder holding a Maven command ({@code mvn*}) replaced by a folder of links to
   * everything else in it.
   */
  static String pathWithoutMaven(Path shadows) throws IOException {
    List<String> out = new ArrayList<>();
    int n = 0;
    for (String entry : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path dir = Path.of(entry);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> files;
      try (var list = Files.list(dir)) {
        files = list.toList();
      }
      if (files.stream().noneMatch(f -> f.getFileName().toString().startsWith("mvn"))) {
        out.add(entry);
        continue;
      }
      Path shadow = Files.createDirectories(shadows.resolve("" + n++));
      for (Path f : files) {
        if (!f.getFileName().toString().startsWith("mvn")) {
          Files.createSymbolicLink(shadow.resolve(f.getFileName()), f);
        }
      }
      out.add(shadow.toString());
    }
    return String.join(":", out);
  }

  /** Runs a command to its end (at most 2 minutes); its exit code and output (stdout and stderr). */
  static Result run(Path dir, List<String> cmd, Map<String, String> env) throws Exception {
    Path log = Files.createTempFile("tasklane-run", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        fail(String.join(" ", cmd) + " did not finish in 120 s: " + Files.readString(log));
      }
      return new Result(p.exitValue(), Files.readString(log));
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  record Result(int code, String output) {}
}
