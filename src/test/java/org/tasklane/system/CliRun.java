package org.tasklane.system;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bin/tasklane} command run to its end, with its exit code, standard output and standard
 * error. The process is stopped by its own handle: waited for with a timeout, and killed if it is
 * still running then (or if the test thread is interrupted). Its output stays in
 * {@code launcher/target/system-logs/NAME/LABEL.{out,err}}.
 *
 * @param exit the exit code
 * @param out everything it wrote to standard output
 * @param err everything it wrote to standard error
 * @param command what was run, for assertion messages
 */
record CliRun(int exit, String out, String err, String command) {

  /** Runs {@code bin/tasklane ARGS} with stdin closed; fails if it does not end within {@code timeout}. */
  static CliRun run(String logDir, String label, Duration timeout, String... args) throws IOException, InterruptedException {
    return run(logDir, label, timeout, java.util.Map.of(), args);
  }

  /** {@link #run(String, String, Duration, String...)} with extra environment variables. */
  static CliRun run(String logDir, String label, Duration timeout, java.util.Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path logs = Path.of(LocalCluster.home(), "launcher", "target", "system-logs", logDir);
    Files.createDirectories(logs);
    Path out = logs.resolve(label + ".out");
    Path err = logs.resolve(label + ".err");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(LocalCluster.home(), "bin", "tasklane").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().put("TASKLANE_JAVA_OPTS", LocalCluster.JAVA_OPTS);
    pb.environment().putAll(env);
    String shown = "tasklane " + String.join(" ", args);
    Process p = pb.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("'" + shown + "' still ran after " + timeout.toSeconds() + " s; its output: " + out
            + ", " + err);
      }
      return new CliRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), shown);
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Standard error's lines, without blank ones. */
  List<String> errLines() {
    return err.lines().filter(l -> !l.isBlank()).toList();
  }

  /** Everything it printed, for assertion messages. */
  String describe() {
    return "'" + command + "' exited " + exit + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
  }
}
