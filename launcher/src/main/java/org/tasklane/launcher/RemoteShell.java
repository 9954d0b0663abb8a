package org.tasklane.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a shell command on a host through a configurable ssh command ({@code --ssh "ssh -p 2222"}):
 * the ssh words, then the host, then the command as one argument, as {@code ssh HOST 'CMD'} does.
 */
final class RemoteShell {
  private final List<String> ssh;

  RemoteShell(String sshCommand) {
    this.ssh = List.of(sshCommand.trim().split("\\s+"));
    if (ssh.isEmpty() || ssh.get(0).isEmpty()) {
      throw new TasklaneCli.UserError("--ssh must name a command, e.g. --ssh ssh or --ssh \"ssh -p 2222\"");
    }
  }

  /** What a remote command printed and how it ended. */
  record Result(int exitCode, String output) {}

  Result run(String host, String command, int timeoutSeconds) {
    return run(host, command, null, timeoutSeconds);
  }

  /** As {@link #run(String, String, int)}, with {@code input} (a file, or null for none) as the command's standard input. */
  Result run(String host, String command, Path input, int timeoutSeconds) {
    List<String> cmd = new ArrayList<>(ssh);
    cmd.add(host);
    cmd.add(command);
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.redirectInput(input != null ? ProcessBuilder.Redirect.from(input.toFile()) : ProcessBuilder.Redirect.PIPE);
      Process p = pb.start();
      if (input == null) {
        p.getOutputStream().close();
      }
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new TasklaneCli.UserError("'" + String.join(" ", ssh) + " " + host + "' did not finish in " + timeoutSeconds + " s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new TasklaneCli.UserError("cannot run '" + ssh.get(0) + "': " + e.getMessage() + "; set --ssh");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TasklaneCli.UserError("interrupted");
    }
  }

  /**
   * A path as a word for the remote shell: quoted, except that a leading {@code ~} becomes the
   * remote user's {@code "$HOME"}.
   */
  static String quotePath(String path) {
    if (path.equals("~")) {
      return "\"$HOME\"";
    }
    if (path.startsWith("~/")) {
      return "\"$HOME\"/" + quote(path.substring(2));
    }
    return quote(path);
  }

  /** Single-quotes a word for a POSIX shell. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
