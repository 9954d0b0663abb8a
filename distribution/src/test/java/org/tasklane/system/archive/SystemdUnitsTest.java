package org.tasklane.system.archive;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code systemd-analyze verify} on the archive's unit files, in a root laid out as the README
 * says to install them: the unpacked archive at {@code /opt/tasklane}, the units in
 * {@code /etc/systemd/system}, beside this machine's own system units. It checks their syntax and
 * every directive, the specifiers, and that each {@code ExecStart} is an executable of the archive;
 * any warning fails it (verify exits 0 on warnings).
 */
class SystemdUnitsTest {
  static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");
  static final Path SYSTEM_UNITS = Path.of("/usr/lib/systemd/system");
  static final List<String> UNITS = List.of("tasklane-scheduler.service", "tasklane-worker@.service", "tasklane-dashboard.service");

  @Test
  void theUnitsVerifyCleanAgainstTheUnpackedArchive() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(ANALYZE) && Files.isDirectory(SYSTEM_UNITS),
        "skipped: systemd-analyze (Debian's systemd package) is not installed, so the unit files were not verified");
    UnpackedArchive archive = UnpackedArchive.unpack("systemd");
    Path root = Files.createTempDirectory("tasklane-systemd-root");
    try {
      verifyIn(archive, root);
    } finally {
      UnpackedArchive.delete(root);
      UnpackedArchive.delete(archive.parent);
    }
  }

  private static void verifyIn(UnpackedArchive archive, Path root) throws Exception {
    Path opt = Files.createDirectories(root.resolve("opt"));
    Files.move(archive.home, opt.resolve("tasklane"));
    Path etc = Files.createDirectories(root.resolve("etc/systemd/system"));
    for (String unit : UNITS) {
      Files.copy(opt.resolve("tasklane/deploy/systemd").resolve(unit), etc.resolve(unit));
    }
    UnpackedArchive.Result copy = UnpackedArchive.run(root, List.of("cp", "-r", SYSTEM_UNITS.toString(),
        Files.createDirectories(root.resolve("usr/lib/systemd")).toString()), Map.of());
    assertEquals(0, copy.code(), copy.output());

    List<String> cmd = new ArrayList<>(List.of(ANALYZE.toString(), "verify", "--root=" + root));
    // a template is verified through an instance of it
    UNITS.forEach(u -> cmd.add(etc.resolve(u.replace("@.", "@1.")).toString()));
    Files.copy(etc.resolve("tasklane-worker@.service"), etc.resolve("tasklane-worker@1.service"));
    UnpackedArchive.Result verify = UnpackedArchive.run(root, cmd, Map.of());
    assertEquals(0, verify.code(), verify.output());
    assertEquals("", verify.output().strip(), "no warnings");

    // and it would say so: the same check fails without the launcher
    Files.delete(opt.resolve("tasklane/bin/tasklane"));
    UnpackedArchive.Result broken = UnpackedArchive.run(root, cmd, Map.of());
    assertNotEquals(0, broken.code(), broken.output());
    assertTrue(broken.output().contains("/opt/tasklane/bin/tasklane"), broken.output());
  }
}
