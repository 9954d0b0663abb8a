package org.tasklane.system.archive;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.system.LocalCluster;
import org.tasklane.system.hosts.TestHosts;

/**
 * {@code cluster up} from an unpacked release archive, with the archive beside it, on three hosts
 * (network namespaces) that each have a home folder of their own and no Tasklane: it copies the
 * archive to each, unpacks it under {@code ~/.tasklane}, starts the nodes from there, and a graph
 * runs; {@code cluster down} leaves no process.
 */
class ArchiveClusterUpSystemTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void needsNamespaces() {
    TestHosts.assumeAvailable();
  }

  @Test
  void clusterUpCopiesTheArchiveToEachHostAndRunsAGraphFromIt() throws Exception {
    UnpackedArchive release = UnpackedArchive.unpack("cluster");
    // as after a download: the archive beside the folder it was unpacked into
    Path archive = Files.copy(release.archive, release.parent.resolve(release.archive.getFileName()));
    String folder = release.home.getFileName().toString();
    Path dir = Files.createTempDirectory("tasklane-archive-cluster");
    try (TestHosts hosts = new TestHosts()) {
      String a = hosts.add("a");
      String b = hosts.add("b");
      String c = hosts.add("c");
      Path hostsFile = dir.resolve("hosts.txt");
      Files.writeString(hostsFile, a + "\n" + b + "\n" + c + "\n");
      // the namespaces share this machine's files: a HOME per host makes each ~/.tasklane its own
      Path inner = hosts.sshWrapper(dir);
      Path ssh = dir.resolve("ssh-with-homes");
      Files.writeString(ssh, "#!/usr/bin/env bash\nmkdir -p \"" + dir + "/homes/$1\"\nHOME=\"" + dir + "/homes/$1\" exec \""
          + inner + "\" \"$@\"\n", StandardCharsets.UTF_8);
      assertTrue(ssh.toFile().setExecutable(true));
      Path state = dir.resolve("state.json");

      UnpackedArchive.Result up = tasklane(release, "cluster", "up", hostsFile.toString(), "--ssh", ssh.toString(),
          "--state", state.toString(), "--nthreads", "1", "--java-opts", LocalCluster.JAVA_OPTS, "--cluster-name", "fromarchive");
      System.out.println(up.output()); // what was copied where, and how long it took
      assertEquals(0, up.code(), up.output());
      for (String host : List.of(a, b, c)) {
        assertTrue(up.output().contains("copied " + archive.getFileName() + " to " + host + " and unpacked it in ~/.tasklane/"
            + folder), up.output());
        assertTrue(Files.isExecutable(dir.resolve("homes/" + host + "/.tasklane/" + folder + "/bin/tasklane")), host);
      }

      LocalCluster.await(Duration.ofSeconds(120), "two workers registered", () -> {
        try {
          return JSON.readTree(hosts.httpGet("b", "http://" + a + ":8786/api/v1/workers")).size() == 2;
        } catch (Exception e) {
          return false;
        }
      });

      // submitted from host c with the copy there
      Path remoteLauncher = dir.resolve("homes/" + c + "/.tasklane/" + folder + "/bin/tasklane");
      Process submit = hosts.on("c", List.of(remoteLauncher.toString(), "submit", "demo:tree:200", "--scheduler", a + ":8786",
          "--wait")).redirectErrorStream(false).start();
      String out = new String(submit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(submit.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, submit.exitValue(), out);
      assertEquals(DemoGraphs.treeSum(200), JSON.readTree(out).get("results").get("total").asLong());

      // the nodes run from the copies: their logs are there
      assertTrue(Files.isRegularFile(dir.resolve("homes/" + a + "/.tasklane/" + folder + "/.tasklane/logs/scheduler-" + a + ".log")));

      UnpackedArchive.Result down = tasklane(release, "cluster", "down", "--state", state.toString());
      assertEquals(0, down.code(), down.output());
      for (String host : List.of("a", "b", "c")) {
        Process pids = new ProcessBuilder("ip", "netns", "pids", hosts.ns(host)).start();
        String left = new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        pids.waitFor(10, TimeUnit.SECONDS);
        assertEquals("", left, "no process left on host " + host);
      }
    } finally {
      UnpackedArchive.delete(dir);
      UnpackedArchive.delete(release.parent);
    }
  }

  private static UnpackedArchive.Result tasklane(UnpackedArchive release, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(release.launcher().toString()));
    cmd.addAll(List.of(args));
    return UnpackedArchive.run(release.parent, cmd, Map.of("TASKLANE_JAVA_OPTS", LocalCluster.JAVA_OPTS));
  }
}
