package org.tasklane.launcher;

/**
 * Puts a release archive on a host for {@code cluster up}: under the install folder
 * ({@code --install-dir}, {@code ~/.tasklane} by default) it keeps {@code tasklane-VERSION.tar.gz}
 * and the folder it unpacks to. A host whose copy has the same SHA-256 and is unpacked is left
 * alone; any other gets the archive over the ssh command's standard input (no scp needed), unpacked
 * beside the old folder and then swapped in, so a failed copy leaves the old one whole.
 */
final class RemoteInstall {
  /** Copying ~60 MB over a slow link: generous, but bounded. */
  private static final int COPY_TIMEOUT_SECONDS = 600;

  private final RemoteShell shell;
  private final ReleaseArchive archive;
  private final String installDir;

  RemoteInstall(RemoteShell shell, ReleaseArchive archive, String installDir) {
    this.shell = shell;
    this.archive = archive;
    this.installDir = installDir.endsWith("/") && installDir.length() > 1
        ? installDir.substring(0, installDir.length() - 1) : installDir;
  }

  /** The folder the nodes run from on every host, as {@code cluster up} records it. */
  String home() {
    return installDir + "/" + archive.folder();
  }

  /** Copies and unpacks the archive on {@code host} unless that host has it already; true if it copied. */
  boolean ensureOn(String host) {
    String dir = RemoteShell.quotePath(installDir);
    String tgz = dir + "/" + RemoteShell.quote(archive.folder() + ".tar.gz");
    String unpacked = dir + "/" + RemoteShell.quote(archive.folder());
    RemoteShell.Result have = shell.run(host,
        "test -x " + unpacked + "/bin/tasklane && sha256sum < " + tgz + " 2>/dev/null; exit 0", 60);
    if (have.exitCode() == 0 && firstWord(have.output()).equals(archive.sha256())) {
      System.err.println("cluster: " + host + " has " + archive.folder() + " already (same SHA-256)");
      return false;
    }
    String folder = RemoteShell.quote(archive.folder());
    String cmd = "set -e; mkdir -p " + dir + "; part=" + dir + "/" + RemoteShell.quote("." + archive.folder() + ".tar.gz.part")
        + "; tmp=" + dir + "/" + RemoteShell.quote("." + archive.folder() + ".unpacking")
        + "; cat > \"$part\"; rm -rf \"$tmp\"; mkdir \"$tmp\"; tar -xzf \"$part\" -C \"$tmp\""
        + "; if [ ! -x \"$tmp\"/" + folder + "/bin/tasklane ]; then rm -rf \"$tmp\" \"$part\"; echo \"the archive holds no "
        + archive.folder() + "/bin/tasklane\"; exit 3; fi"
        + "; rm -rf " + unpacked + "; mv \"$tmp\"/" + folder + " " + unpacked + "; rm -rf \"$tmp\"; mv \"$part\" " + tgz
        + "; sha256sum < " + tgz;
    long start = System.nanoTime();
    RemoteShell.Result r = shell.run(host, cmd, archive.file(), COPY_TIMEOUT_SECONDS);
    String got = r.exitCode() == 0 ? firstWord(lastLine(r.output())) : "";
    if (!got.equals(archive.sha256())) {
      throw new TasklaneCli.UserError("could not install " + archive.folder() + " on " + host + " under " + installDir
          + " (exit " + r.exitCode() + "): " + (r.exitCode() == 0 ? "its SHA-256 differs after the copy" : r.output().replace('\n', ' ')));
    }
    System.err.printf("cluster: copied %s to %s and unpacked it in %s (%.1f MB, %.1f s)%n", archive.folder() + ".tar.gz",
        host, home(), archive.size() / 1e6, (System.nanoTime() - start) / 1e9);
    return true;
  }

  private static String lastLine(String s) {
    String[] lines = s.split("\n");
    return lines[lines.length - 1];
  }

  private static String firstWord(String s) {
    String t = s.strip();
    int sp = t.indexOf(' ');
    return sp < 0 ? t : t.substring(0, sp);
  }
}
