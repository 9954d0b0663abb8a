package org.tasklane.system.image;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code podman} as the image's README says to on hosts like this one: with
 * {@code deploy/container/containers.conf} (runc, cgroupfs, no default ulimits).
 */
final class Podman {
  /**
   * Whether {@code podman run} failed because no container can start on this machine (podman's own
   * error, 125, or the OCI runtime's, 126, e.g. "error setting rlimit ... operation not permitted"),
   * not because of the image: a failure that names the image's entrypoint is the image's.
   */
  static boolean cannotStart(Result run) {
    return (run.code() == 125 || run.code() == 126)
        && !run.output().contains("tini") && !run.output().contains("tasklane-entrypoint");
  }

  private final Path containersConf;

  Podman(Path home) {
    this.containersConf = home.resolve("deploy/container/containers.conf");
  }

  /** Why the image cannot be built and run here (one line), or null if the tools are all present. */
  static String missingTools() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "the image test needs root (mmdebstrap and podman build the base as root); it runs as " + System.getProperty("user.name");
    }
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("podman", "runc", "mmdebstrap")) {
      if (onPath(tool) == null) {
        missing.add(tool);
      }
    }
    return missing.isEmpty() ? null
        : String.join(", ", missing) + " not installed (apt-get install -y podman runc mmdebstrap; .ci/run does)";
  }

  private static Path onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    // runc is in /usr/sbin, which a non-login PATH may lack
    Path sbin = Path.of("/usr/sbin", tool);
    return Files.isExecutable(sbin) ? sbin : null;
  }

  /** {@code podman ARGS} to its end, at most two minutes. */
  Result run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("podman"));
    cmd.addAll(List.of(args));
    return exec(cmd, Duration.ofMinutes(2));
  }

  /** A command (not only podman) with this podman configuration, to its end within {@code limit}. */
  Result exec(List<String> cmd, Duration limit) throws Exception {
    Path log = Files.createTempFile("tasklane-podman", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("CONTAINERS_CONF", containersConf.toString());
    Process p = pb.start();
    try {
      if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
        fail(String.join(" ", cmd) + " did not finish in " + limit.toSeconds() + " s: " + Files.readString(log));
      }
      return new Result(p.exitValue(), withoutTimerErrors(Files.readString(log)));
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(log);
    }
  }

  /**
   * The output without podman's complaints that it cannot start the health check's systemd timer
   * (no systemd runs here; the test runs the check itself with {@code podman healthcheck run}).
   */
  static String withoutTimerErrors(String output) {
    return String.join("\n", output.lines().filter(l -> !l.contains("unable to get systemd connection")).toList());
  }

  record Result(int code, String output) {
    /** The output's first line, for a one-line message. */
    String firstLine() {
      return output.lines().filter(l -> !l.isBlank()).findFirst().orElse("(no output)").strip();
    }
  }
}
