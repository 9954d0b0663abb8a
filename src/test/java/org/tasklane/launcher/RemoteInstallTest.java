package org.tasklane.launcher;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RemoteInstall} against a stand-in for ssh that runs the command with bash on this machine,
 * with HOME set to a folder per host: a host without the archive gets it, one with the same
 * archive is left alone, one with a different or broken copy gets it again.
 */
class RemoteInstallTest {
  @TempDir Path dir;
  Path ssh;

  @BeforeEach
  void fakeSsh() throws IOException {
    ssh = dir.resolve("fake-ssh");
    Files.writeString(ssh, "#!/usr/bin/env bash\nhost=\"$1\"; shift\nmkdir -p \"" + dir + "/homes/$host\"\n"
        + "HOME=\"" + dir + "/homes/$host\" exec bash -c \"$*\"\n");
    assertTrue(ssh.toFile().setExecutable(true));
  }

  @Test
  void copiesToAHostThatLacksItAndOnlyThen() throws Exception {
    ReleaseArchive archive = ReleaseArchive.of(archive("tasklane-9.9", "echo one"));
    RemoteInstall install = new RemoteInstall(new RemoteShell(ssh.toString()), archive, "~/.tasklane");
    assertEquals("~/.tasklane/tasklane-9.9", install.home());

    assertTrue(install.ensureOn("h1"), "a host without it gets it");
    Path unpacked = dir.resolve("homes/h1/.tasklane/tasklane-9.9");
    assertTrue(Files.isExecutable(unpacked.resolve("bin/tasklane")));
    assertTrue(Files.isRegularFile(dir.resolve("homes/h1/.tasklane/tasklane-9.9.tar.gz")));
    assertFalse(install.ensureOn("h1"), "the same archive is not copied again");
    assertTrue(install.ensureOn("h2"), "each host is checked on its own");

    // a different build with the same name replaces the folder
    ReleaseArchive rebuilt = ReleaseArchive.of(archive("tasklane-9.9", "echo two"));
    assertNotEquals(archive.sha256(), rebuilt.sha256());
    assertTrue(new RemoteInstall(new RemoteShell(ssh.toString()), rebuilt, "~/.tasklane").ensureOn("h1"));
    assertEquals("#!/bin/sh\necho two\n", Files.readString(unpacked.resolve("bin/tasklane")));

    // a copy whose folder was deleted is copied again, though its archive is there
    run("rm", "-rf", unpacked.toString());
    assertTrue(new RemoteInstall(new RemoteShell(ssh.toString()), rebuilt, "~/.tasklane").ensureOn("h1"));
    assertTrue(Files.isExecutable(unpacked.resolve("bin/tasklane")));
  }

  @Test
  void anArchiveWithoutTheLauncherIsRefusedInOneLineAndLeavesNothing() throws Exception {
    Path content = dir.resolve("content/tasklane-1.0/lib");
    Files.createDirectories(content);
    Files.writeString(content.resolve("a.jar"), "x");
    Path tgz = dir.resolve("tasklane-1.0.tar.gz");
    run("tar", "-czf", tgz.toString(), "-C", dir.resolve("content").toString(), "tasklane-1.0");
    RemoteInstall install = new RemoteInstall(new RemoteShell(ssh.toString()), ReleaseArchive.of(tgz), "/" + dir + "/opt");
    TasklaneCli.UserError e = assertThrows(TasklaneCli.UserError.class, () -> install.ensureOn("h1"));
    assertTrue(e.getMessage().contains("holds no tasklane-1.0/bin/tasklane"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    try (var left = Files.list(dir.resolve("opt"))) {
      assertEquals(List.of(), left.toList(), "no partial copy is left");
    }
  }

  @Test
  void aFileThatIsNotAnArchiveIsOneLine() throws IOException {
    Path zip = Files.writeString(dir.resolve("tasklane.zip"), "x");
    assertTrue(assertThrows(TasklaneCli.UserError.class, () -> ReleaseArchive.of(zip)).getMessage().contains("tar.gz"));
    assertTrue(assertThrows(TasklaneCli.UserError.class, () -> ReleaseArchive.of(dir.resolve("tasklane-2.tar.gz")))
        .getMessage().startsWith("no archive at"));
  }

  @Test
  void theArchiveBesideAnUnpackedFolderIsFoundNotBesideACheckout() throws Exception {
    Path tgz = archive("tasklane-3.0", "echo");
    Path unpacked = dir.resolve("tasklane-3.0");
    Files.createDirectories(unpacked.resolve("lib"));
    assertEquals(tgz.toAbsolutePath(), ReleaseArchive.besideUnpacked(unpacked).file());
    Files.writeString(unpacked.resolve("pom.xml"), "<project/>");
    assertNull(ReleaseArchive.besideUnpacked(unpacked), "a source checkout runs as it is");
  }

  @Test
  void aTildeIsTheRemoteHome() {
    assertEquals("\"$HOME\"/'.tasklane'", RemoteShell.quotePath("~/.tasklane"));
    assertEquals("'/opt/it'\\''s'", RemoteShell.quotePath("/opt/it's"));
  }

  /** A tasklane-like archive: NAME/bin/tasklane running {@code body}, NAME/lib/. */
  private Path archive(String name, String body) throws Exception {
    Path src = Files.createTempDirectory(dir, "src");
    Path bin = Files.createDirectories(src.resolve(name).resolve("bin"));
    Files.createDirectories(src.resolve(name).resolve("lib"));
    Files.writeString(bin.resolve("tasklane"), "#!/bin/sh\n" + body + "\n");
    assertTrue(bin.resolve("tasklane").toFile().setExecutable(true));
    Path tgz = dir.resolve(name + ".tar.gz");
    run("tar", "-czf", tgz.toString(), "-C", src.toString(), name);
    return tgz;
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", cmd));
  }
}
