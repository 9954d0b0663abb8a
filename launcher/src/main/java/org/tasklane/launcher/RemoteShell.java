package org.tasklane.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    List<String> cmd = new ArrayList<>(ssh);
    cmd.add(host);
    cmd.add(command);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
      p.getOutputStream().close();
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

  /** Single-quotes a word for a POSIX shell. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
